#!/usr/bin/env bash
# The production topology on one machine, on loopback: PostgreSQL, Redis with RQ workers, two
# `engage serve` app servers sharing one settings file, and Debian's nginx (HTTPS, round robin, no
# sticky sessions) in front. Run as root (no sudo needed); everything lives in one state directory.
#
#   scripts/topology.sh up       # start what is not running; print the address and a login
#   scripts/topology.sh status   # each piece: running or not, its port, /health through nginx
#   scripts/topology.sh check    # a journey through nginx that hops between the app servers
#   scripts/topology.sh down     # stop everything it started (pid files); data is kept
#   scripts/topology.sh clean    # down, then delete the state directory
#
# TOPOLOGY_DIR (default /tmp/engage-topology) is the state directory; TOPOLOGY_WEB_WORKERS (2) the
# gunicorn workers per app server; TOPOLOGY_RQ_WORKERS (2) the RQ workers; TOPOLOGY_RESPONSES (100)
# the demo's sample responses; ENGAGE the engage command (default: this checkout's .venv).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${TOPOLOGY_DIR:-/tmp/engage-topology}
ENGAGE=${ENGAGE:-$REPO/.venv/bin/engage}
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
WEB_WORKERS=${TOPOLOGY_WEB_WORKERS:-2}
RQ_WORKERS=${TOPOLOGY_RQ_WORKERS:-2}
RESPONSES=${TOPOLOGY_RESPONSES:-100}
PG_USER=postgres                  # PostgreSQL refuses to run as root; Debian's package creates it
ENV_FILE=$DIR/engage.env
PORTS_FILE=$DIR/ports
APPS=(app1 app2)

say() { printf '%s\n' "$*"; }
die() { printf 'topology: %s\n' "$*" >&2; exit 1; }

pg_bin() {
    local pg_ctl
    pg_ctl=$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)
    [ -x "$pg_ctl" ] || die "PostgreSQL's binaries are not in /usr/lib/postgresql/*/bin"
    dirname "$pg_ctl"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------------------------------------
# Packages, ports and the settings file: made once, kept across down/up.

install_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v openssl >/dev/null || missing+=(openssl)
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (run as root)"
    say "Installing ${missing[*]} (apt-get)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_ports() {
    [ -f "$PORTS_FILE" ] && return
    {
        printf 'PG_PORT=%s\n' "$(free_port)"
        printf 'REDIS_PORT=%s\n' "$(free_port)"
        printf 'APP1_PORT=%s\n' "$(free_port)"
        printf 'APP2_PORT=%s\n' "$(free_port)"
        printf 'NGINX_PORT=%s\n' "$(free_port)"
    } > "$PORTS_FILE"
}

load_ports() {
    [ -f "$PORTS_FILE" ] || die "no topology in $DIR (run: $0 up)"
    # shellcheck source=/dev/null
    . "$PORTS_FILE"
}

app_port() { if [ "$1" = app1 ]; then echo "$APP1_PORT"; else echo "$APP2_PORT"; fi; }

# One settings file for every engage process, as /etc/engage/engage.env is in production: the
# secret key is generated once and saved, so both app servers sign cookies and forms alike.
ensure_env_file() {
    [ -f "$ENV_FILE" ] && return
    local secret db_password
    secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
    db_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
    umask 077
    cat > "$ENV_FILE" <<EOF
# Engage's settings for the topology in $DIR (made by scripts/topology.sh; read by every engage
# process through ENGAGE_ENV_FILE).
ENGAGE_ENV=production
SECRET_KEY=$secret
DATABASE_URL=postgresql+psycopg://engage:$db_password@127.0.0.1:$PG_PORT/engage
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
# nginx in front sets X-Forwarded-For and X-Forwarded-Proto.
TRUSTED_PROXIES=1
PUBLIC_URL=https://127.0.0.1:$NGINX_PORT
# Production will not start without a named safeguarding lead.
SAFEGUARDING_LEADS=safeguarding@example.nhs.uk
EOF
    umask 022
}

env_value() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }

# Every engage command sees only the settings file (and not whatever this shell has exported).
engage() {
    (cd "$DIR" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$DIR" LANG=C.UTF-8 \
        ENGAGE_ENV_FILE="$ENV_FILE" "$ENGAGE" "$@")
}

# ---------------------------------------------------------------------------------------------
# Processes started in the background, one pid file each, in their own process group so that
# stopping one also stops its children (gunicorn's workers).

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_bg() {  # NAME COMMAND...
    local name=$1; shift
    if alive "$DIR/$name.pid"; then return; fi
    (cd "$DIR" && exec setsid env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$DIR" LANG=C.UTF-8 \
        ENGAGE_ENV_FILE="$ENV_FILE" "$@" >> "$DIR/log/$name.log" 2>&1 < /dev/null) &
    echo $! > "$DIR/$name.pid"
}

stop_pid_file() {  # PIDFILE SECONDS: TERM the process group, wait, then KILL what is left
    local file=$1 wait=${2:-30} pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    case "$pid" in ''|*[!0-9]*) rm -f "$file"; return 0 ;; esac   # empty (e.g. left by nginx -t)
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq $((wait * 5))); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    # Children that outlived their parent (same process group).
    pkill -KILL -g "$pid" 2>/dev/null || true
    rm -f "$file"
}

wait_http() {  # URL SECONDS [CURL OPTIONS...]
    local url=$1 seconds=$2; shift 2
    for _ in $(seq $((seconds * 2))); do
        curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: its own cluster, run as $PG_USER, TCP on loopback with a password (as several app
# hosts would connect), the Unix socket in the state directory.

pg_ctl_() { runuser -u "$PG_USER" -- "$(pg_bin)/pg_ctl" -D "$DIR/pg/data" "$@"; }

start_postgres() {
    local bin; bin=$(pg_bin)
    id "$PG_USER" >/dev/null 2>&1 || die "no Linux user $PG_USER (Debian's postgresql package makes it)"
    install -d -o "$PG_USER" -m 700 "$DIR/pg"
    install -d -o "$PG_USER" -m 755 "$DIR/pg/socket"
    if [ ! -f "$DIR/pg/data/PG_VERSION" ]; then
        (cd "$DIR/pg" && runuser -u "$PG_USER" -- "$bin/initdb" -D "$DIR/pg/data" -U postgres \
            --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null)
    fi
    if ! (cd "$DIR/pg" && pg_ctl_ status >/dev/null 2>&1); then
        (cd "$DIR/pg" && pg_ctl_ -l "$DIR/pg/postgres.log" -w -t 60 \
            -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $DIR/pg/socket" start >/dev/null)
    fi
    local password; password=$(env_value DATABASE_URL | sed -E 's|.*//engage:([^@]*)@.*|\1|')
    psql_() { (cd "$DIR/pg" && runuser -u "$PG_USER" -- "$bin/psql" -h "$DIR/pg/socket" -p "$PG_PORT" \
        -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"); }
    if [ "$(psql_ -c "SELECT 1 FROM pg_roles WHERE rolname = 'engage'")" != 1 ]; then
        psql_ -c "CREATE ROLE engage LOGIN PASSWORD '$password'"
    fi
    if [ "$(psql_ -c "SELECT 1 FROM pg_database WHERE datname = 'engage'")" != 1 ]; then
        psql_ -c "CREATE DATABASE engage OWNER engage"
    fi
}

# ---------------------------------------------------------------------------------------------
# nginx: its own configuration and prefix in the state directory, HTTPS with a self-signed
# certificate for 127.0.0.1, round robin over both app servers (no sticky sessions).

write_nginx_conf() {
    local n=$DIR/nginx
    install -d "$n" "$n/logs"
    install -d -o nobody "$n/tmp"
    if [ ! -f "$n/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 \
            -addext subjectAltName=IP:127.0.0.1 -keyout "$n/key.pem" -out "$n/cert.pem" 2>/dev/null
        chmod 600 "$n/key.pem"
    fi
    cat > "$n/nginx.conf" <<EOF
# Made by scripts/topology.sh: nginx -p $n/ -c $n/nginx.conf
user nobody nogroup;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/logs/error.log warn;
events { worker_connections 1024; }

http {
    client_body_temp_path $n/tmp/body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;

    # Which app server answered: in the access log, and (for the journey check) a response header.
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status upstream=\$upstream_addr';
    access_log $n/logs/access.log upstream;

    # Round robin (nginx's default), no ip_hash or cookie: consecutive requests of one person
    # land on different app servers.
    upstream engage_app {
        server 127.0.0.1:$APP1_PORT;
        server 127.0.0.1:$APP2_PORT;
        keepalive 16;
    }

    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        server_name 127.0.0.1;
        ssl_certificate     $n/cert.pem;
        ssl_certificate_key $n/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 3m;

        location / {
            proxy_pass http://engage_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The Host as the person typed it, port included (this listens on a port other than
            # 443), the same for both app servers, so links and the CSRF check agree.
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$http_host;
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout http_502 http_503;
            add_header X-Topology-Upstream \$upstream_addr always;
        }
    }
}
EOF
}

nginx_() { nginx -p "$DIR/nginx/" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/logs/error.log" "$@"; }

# ---------------------------------------------------------------------------------------------

up() {
    install_packages
    install -d -m 755 "$DIR"
    install -d "$DIR/log"
    [ -x "$ENGAGE" ] || die "$ENGAGE is missing (run make install first)"
    ensure_ports
    load_ports
    ensure_env_file

    say "PostgreSQL on 127.0.0.1:$PG_PORT..."
    start_postgres

    say "Redis on 127.0.0.1:$REDIS_PORT..."
    if ! alive "$DIR/redis.pid"; then
        install -d "$DIR/redis"
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
            --pidfile "$DIR/redis.pid" --dir "$DIR/redis" --logfile "$DIR/log/redis.log" \
            --save "" --appendonly yes
        for _ in $(seq 50); do [ -s "$DIR/redis.pid" ] && break; sleep 0.1; done
    fi

    say "Migrations, and the demo (once)..."
    engage db upgrade >> "$DIR/log/setup.log" 2>&1 || die "engage db upgrade failed: see $DIR/log/setup.log"
    if [ ! -f "$DIR/facilitator.txt" ]; then
        engage demo load --with-responses "$RESPONSES" > "$DIR/demo.out" 2>> "$DIR/log/setup.log" \
            || die "engage demo load failed: see $DIR/log/setup.log"
        (umask 077; grep '^Facilitator login' "$DIR/demo.out" > "$DIR/facilitator.txt")
        rm -f "$DIR/demo.out"
    fi

    say "RQ workers ($RQ_WORKERS) and app servers on 127.0.0.1:$APP1_PORT and :$APP2_PORT..."
    for i in $(seq "$RQ_WORKERS"); do start_bg "worker$i" "$ENGAGE" worker; done
    for app in "${APPS[@]}"; do
        start_bg "$app" "$ENGAGE" serve --bind "127.0.0.1:$(app_port "$app")" --workers "$WEB_WORKERS"
    done
    for app in "${APPS[@]}"; do
        wait_http "http://127.0.0.1:$(app_port "$app")/health" 60 \
            || die "$app did not answer /health: see $DIR/log/$app.log"
    done

    say "nginx on 127.0.0.1:$NGINX_PORT..."
    write_nginx_conf
    if ! alive "$DIR/nginx/nginx.pid"; then
        nginx_ -t -q || die "nginx refused its configuration ($DIR/nginx/nginx.conf)"
        nginx_
    fi
    wait_http "https://127.0.0.1:$NGINX_PORT/health" 20 --cacert "$DIR/nginx/cert.pem" \
        || die "nginx does not answer /health: see $DIR/nginx/logs/error.log"

    say ""
    say "Serving on https://127.0.0.1:$NGINX_PORT (self-signed certificate: $DIR/nginx/cert.pem)"
    say "Demo consultation: https://127.0.0.1:$NGINX_PORT/c/technology-in-the-nhs/"
    say "Sign in at https://127.0.0.1:$NGINX_PORT/account/sign-in"
    cat "$DIR/facilitator.txt"
    say "Settings: $DIR/engage.env   Logs: $DIR/log/, $DIR/nginx/logs/   Stop: $0 down"
}

show() {  # NAME STATE DETAIL
    printf '%-10s %-12s %s\n' "$1" "$2" "$3"
}

status() {
    load_ports
    local state
    if (cd / && pg_ctl_ status >/dev/null 2>&1) && \
            runuser -u "$PG_USER" -- "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
        state=running; else state=stopped; fi
    show postgresql "$state" "127.0.0.1:$PG_PORT, database engage, data $DIR/pg/data"
    if alive "$DIR/redis.pid" && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then
        state=running; else state=stopped; fi
    show redis "$state" "127.0.0.1:$REDIS_PORT"
    for i in $(seq "$RQ_WORKERS"); do
        if alive "$DIR/worker$i.pid"; then state=running; else state=stopped; fi
        show "worker$i" "$state" "engage worker (RQ), pid $(cat "$DIR/worker$i.pid" 2>/dev/null || echo -)"
    done
    for app in "${APPS[@]}"; do
        local port; port=$(app_port "$app")
        if alive "$DIR/$app.pid"; then
            state=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
            state="running"$([ "$state" = 200 ] || echo " (health $state)")
        else state=stopped; fi
        show "$app" "$state" "engage serve 127.0.0.1:$port, $WEB_WORKERS workers, pid $(cat "$DIR/$app.pid" 2>/dev/null || echo -)"
    done
    if alive "$DIR/nginx/nginx.pid"; then state=running; else state=stopped; fi
    show nginx "$state" "https://127.0.0.1:$NGINX_PORT -> 127.0.0.1:$APP1_PORT, 127.0.0.1:$APP2_PORT (round robin)"
    if [ "$state" = running ]; then
        say "GET /health through nginx:"
        curl -sS --cacert "$DIR/nginx/cert.pem" -D - "https://127.0.0.1:$NGINX_PORT/health" \
            | grep -iE '^(HTTP|x-topology-upstream)|^\{' || true
        say ""
    fi
}

check() {
    load_ports
    "$PYTHON" "$REPO/scripts/topology_check.py" --state "$DIR"
}

down() {
    [ -d "$DIR" ] || { say "Nothing to stop in $DIR."; return; }
    [ -f "$PORTS_FILE" ] && load_ports
    if alive "$DIR/nginx/nginx.pid"; then
        say "Stopping nginx..."
        nginx_ -s quit 2>/dev/null || true
        stop_pid_file "$DIR/nginx/nginx.pid" 15
    fi
    for app in "${APPS[@]}"; do
        [ -f "$DIR/$app.pid" ] && say "Stopping $app..." && stop_pid_file "$DIR/$app.pid" 40
    done
    for file in "$DIR"/worker*.pid; do
        [ -f "$file" ] && say "Stopping $(basename "$file" .pid)..." && stop_pid_file "$file" 60
    done
    if alive "$DIR/redis.pid"; then
        say "Stopping Redis..."
        stop_pid_file "$DIR/redis.pid" 15
    fi
    if [ -f "$DIR/pg/data/postmaster.pid" ]; then
        say "Stopping PostgreSQL..."
        (cd / && pg_ctl_ -m fast -w stop >/dev/null) || true
    fi
    say "Stopped. Data kept in $DIR ($0 clean deletes it)."
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    check) check ;;
    clean) down; rm -rf "$DIR"; say "Deleted $DIR." ;;
    *) say "Usage: $0 up|status|check|down|clean"; exit 2 ;;
esac
