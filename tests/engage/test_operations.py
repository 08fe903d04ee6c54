"""Operations: /health checks the database and the queue; `engage serve` and `engage worker` refuse
a bad configuration or a missing database with one clear line, before serving anything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from engage import create_app
from surveys import migrate

from ..servers import free_port

ENGAGE = str(Path(sys.executable).parent / "engage")


def test_health_reports_the_database_and_the_queue(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok", "database": {"status": "ok", "revision": migrate.current_head()},
        "queue": {"status": "ok", "backend": "database", "waiting": 0}}


def test_health_without_redis_is_degraded_but_serving(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    report = client.get("/health")
    assert report.status_code == 200
    body = report.get_json()
    assert (body["status"], body["queue"]["status"]) == ("degraded", "failing")
    assert "jobs wait in the database" in body["queue"]["detail"]


def test_health_without_a_database_is_503_not_500(tmp_path):
    app = create_app({"DATABASE_URL": f"postgresql+psycopg://engage@127.0.0.1:{free_port()}/engage",
                      "SECRET_KEY": "k" * 40, "TESTING": True})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    detail = response.get_json()["database"]["detail"]
    assert detail.startswith("Engage cannot reach the database at postgresql+psycopg://engage@127.0.0.1:")
    app.extensions["engage.db"].dispose()


def _engage(*args, **env):
    return subprocess.run([ENGAGE, *args], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120, cwd="/")


def test_serve_refuses_a_database_without_tables_in_one_line(tmp_path):
    sqlite3.connect(tmp_path / "empty.sqlite3").execute("VACUUM").connection.close()
    done = _engage("serve", "--bind", f"127.0.0.1:{free_port()}",
                   DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", SECRET_KEY="k" * 40)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: The database at sqlite:///{tmp_path / 'empty.sqlite3'} has no Engage tables yet: "
        "run `engage db upgrade` (with the same environment)."]
    # A file that is not there is not made (empty) by looking for it.
    done = _engage("serve", "--bind", f"127.0.0.1:{free_port()}",
                   DATABASE_URL=f"sqlite:///{tmp_path / 'missing.sqlite3'}", SECRET_KEY="k" * 40)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: There is no database at {tmp_path / 'missing.sqlite3'}: run `engage db upgrade` to make "
        "one, or check DATABASE_URL."]
    assert not (tmp_path / "missing.sqlite3").exists()


def test_serve_and_worker_refuse_a_missing_postgresql_database_in_one_line(pg_server):
    url = pg_server.url("no_such_database")
    for command in (["serve", "--bind", f"127.0.0.1:{free_port()}"], ["worker", "--burst"]):
        done = _engage(*command, DATABASE_URL=url, SECRET_KEY="k" * 40)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: Engage cannot reach the database at"), lines
        assert 'database "no_such_database" does not exist' in lines[0]


def test_a_bad_configuration_is_one_line_for_every_command(tmp_path):
    for command in (["serve"], ["purge", "--dry-run"], ["worker", "--burst"]):
        done = _engage(*command, ENGAGE_ENV="production", SECRET_KEY="short",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: Engage will not start in production mode: - "
                                                      "SECRET_KEY is missing"), lines
    done = _engage("serve", MIN_GROUP_SIZE="five", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                   SECRET_KEY="k" * 40)
    assert done.stderr.strip().splitlines() == ["Error: MIN_GROUP_SIZE must be a whole number, not 'five'."]


def test_commands_from_cron_read_the_shared_settings_file(tmp_path):
    database = tmp_path / "shared.sqlite3"
    migrate.upgrade(f"sqlite:///{database}")
    settings = tmp_path / "engage.env"
    settings.write_text(f"# shared by systemd, cron and every host\nDATABASE_URL=sqlite:///{database}\n"
                        f"SECRET_KEY='{'s' * 40}'\nENGAGE_SERVICE_NAME=\"Engage at the trust\"\n")
    # cron's environment: no DATABASE_URL or SECRET_KEY, a working directory of its own.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    done = subprocess.run([ENGAGE, "purge"], env={**env, "ENGAGE_ENV_FILE": str(settings)},
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Nothing to delete" in done.stdout
    import sqlite3

    with sqlite3.connect(database) as conn:  # it refreshed the statistics of the shared database
        stats = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert stats.fetchone() == (1,)
    # The environment still wins over the file (e.g. a one-off command against another database).
    import config

    loaded = config.load({**config.env_file({"ENGAGE_ENV_FILE": str(settings)}), "MIN_GROUP_SIZE": "7"})
    assert (loaded["DATABASE_URL"], loaded["SERVICE_NAME"], loaded["MIN_GROUP_SIZE"]) == (
        f"sqlite:///{database}", "Engage at the trust", 7)
