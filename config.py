"""Every Engage setting, read from the environment in one place.

``load(environ, instance_path)`` returns a plain dict for ``app.config``. Defaults are safe for a
laptop (SQLite under ``instance/``, a secret key generated once and kept there); production mode
(``ENGAGE_ENV=production``) refuses to start with unsafe settings and says why.
"""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from pathlib import Path

DEV_SECRET_FILE = "secret_key"  # noqa: S105 - a file name
UNSAFE_SECRET_KEYS = {"", "dev", "change-me", "changeme", "secret", "test"}
ENVIRONMENTS = ("development", "production")
#: A secret key must carry at least this much randomness, estimated from its characters (a random
#: 32-character hex key scores over 85; `aaaa…` scores 0).
MIN_SECRET_BITS = 80
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
#: Requests allowed per client address (and per account or workshop where it applies), shared by
#: every worker: (count, seconds). Override with e.g. RATE_LIMIT_SIGN_IN="10/minute".
RATE_LIMITS = {
    "sign_in": (20, 60),           # sign-in attempts from one address
    "withdraw": (10, 600),         # reference codes tried on the public withdrawal page
    "resume": (20, 600),           # save-and-return links tried
    "join": (30, 60),              # workshop join codes tried
    "kiosk_submit": (240, 60),     # a tablet sending its queue after being offline
    "kiosk_exit": (10, 600),       # facilitator PIN guesses, per address and per workshop
    # Emails a respondent asks for (the receipt, the link to carry on, hearing the outcome): each
    # is counted per response, per email address and per client address, so nobody can make the
    # site email an address over and over.
    "email_me": (3, 3600),         # receipts and carry-on links asked for one response
    "email_to": (5, 3600),         # emails asked for one email address, from anywhere
    "email_from": (20, 3600),      # emails asked for from one client address
    "outcome_address": (3, 3600),  # addresses given to hear the outcome, for one response
}


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message says which and how to fix it."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from exc


def _rate(environ, name: str, default: tuple[int, int]) -> tuple[int, int]:
    """``RATE_LIMIT_<NAME>`` as ``count/period`` (period: second, minute, hour, day or seconds)."""
    var = f"RATE_LIMIT_{name.upper()}"
    raw = (environ.get(var) or "").strip().lower()
    if not raw:
        return default
    count, _, period = raw.partition("/")
    period = period.strip().removesuffix("s") if not period.strip().isdigit() else period.strip()
    seconds = int(period) if period.isdigit() else PERIODS.get(period)
    if not count.strip().isdigit() or not seconds or int(count) < 1:
        raise ConfigError(f"{var} must look like 20/minute (a count, then second, minute, hour, day "
                          f"or a number of seconds), not {raw!r}.")
    return int(count), seconds


def secret_bits(secret: str) -> float:
    """A rough estimate of the randomness in a secret: its length times the Shannon entropy of its
    characters. ``aaaa…`` scores 0; 48 random url-safe bytes score about 330."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    return -sum(n * math.log2(n / len(secret)) for n in counts.values())


def _dev_secret(instance_path: Path) -> str:
    """Generate a secret key once into instance/ so sessions survive restarts in development."""
    path = instance_path / DEV_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


#: The one settings file that systemd (EnvironmentFile=), cron and every host share.
ENV_FILE = "/etc/engage/engage.env"


def env_file(environ) -> dict:
    """KEY=VALUE lines of ``ENGAGE_ENV_FILE`` (default /etc/engage/engage.env) when it exists, so a
    command run from cron or a shell reads the same settings as the systemd services."""
    path = Path(environ.get("ENGAGE_ENV_FILE") or ENV_FILE)
    if not path.is_file():
        return {}
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the settings file {path}: {exc.strerror}.") from None
    settings = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.removeprefix("export ").partition("=")
            settings[key.strip()] = value.strip().strip("'\"")
    return settings


def load(environ=None, instance_path: str | Path = "instance") -> dict:
    """Map the environment (over the settings file) to settings, with types and defaults."""
    environ = {**env_file(os.environ), **os.environ} if environ is None else environ
    instance_path = Path(instance_path)
    env = (environ.get("ENGAGE_ENV") or "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"ENGAGE_ENV must be development or production, not {env!r}.")
    production = env == "production"

    secret = environ.get("SECRET_KEY", "")
    if not secret and not production:
        secret = _dev_secret(instance_path)

    settings = {
        "ENGAGE_ENV": env,
        "SECRET_KEY": secret,
        "DATABASE_URL": environ.get("DATABASE_URL")
        or f"sqlite:///{(instance_path / 'engage.sqlite3').resolve()}",
        "REDIS_URL": environ.get("REDIS_URL") or None,
        # Background jobs: a running job beats this often; one silent this long has died.
        "JOB_HEARTBEAT_SECONDS": _int(environ, "JOB_HEARTBEAT_SECONDS", 10),
        "JOB_LOST_AFTER_SECONDS": _int(environ, "JOB_LOST_AFTER_SECONDS", 45),
        # Cookies: secure by default in production (served over HTTPS behind the proxy).
        "SESSION_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Signed-in sessions (kept in the database): the cookie lasts as long as the longest
        # session may; a session ends after SESSION_IDLE_MINUTES without a request, and after
        # SESSION_LIFETIME_MINUTES whatever happens.
        "PERMANENT_SESSION_LIFETIME": _int(environ, "SESSION_LIFETIME_MINUTES", 480) * 60,
        "SESSION_IDLE_MINUTES": _int(environ, "SESSION_IDLE_MINUTES", 60),
        "WTF_CSRF_TIME_LIMIT": _int(environ, "CSRF_TIME_LIMIT_SECONDS", 8 * 3600),
        # Largest request body accepted (uploads of consultation definitions included).
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024),
        # Login throttling: attempts per window, then a lockout message.
        "LOGIN_MAX_ATTEMPTS": _int(environ, "LOGIN_MAX_ATTEMPTS", 5),
        "LOGIN_LOCKOUT_MINUTES": _int(environ, "LOGIN_LOCKOUT_MINUTES", 15),
        # Rate limits, counted in Redis when REDIS_URL is set (the database if Redis is down or
        # not set), so every worker and host shares them.
        "RATELIMIT_ENABLED": _bool(environ.get("RATELIMIT_ENABLED"), True),
        "RATE_LIMITS": {name: _rate(environ, name, default) for name, default in RATE_LIMITS.items()},
        # How many reverse proxies in front of Engage set X-Forwarded-For/-Proto (0: none; the
        # client address is then the connection's). Too high lets clients choose their address.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 0),
        # Aggregates are never shown for groups smaller than this.
        "MIN_GROUP_SIZE": _int(environ, "MIN_GROUP_SIZE", 5),
        # Workshop kiosks: inactivity warning, then reset; grace period after a workshop closes.
        "KIOSK_IDLE_SECONDS": _int(environ, "KIOSK_IDLE_SECONDS", 120),
        "KIOSK_WARNING_SECONDS": _int(environ, "KIOSK_WARNING_SECONDS", 30),
        # How long the thank-you screen shows a person's reference code, unless they ask for longer.
        "KIOSK_REFERENCE_SECONDS": _int(environ, "KIOSK_REFERENCE_SECONDS", 60),
        "WORKSHOP_GRACE_MINUTES": _int(environ, "WORKSHOP_GRACE_MINUTES", 30),
        "SERVICE_NAME": environ.get("ENGAGE_SERVICE_NAME", "Engage"),
        "SAFEGUARDING_CONTACT": environ.get("SAFEGUARDING_CONTACT", ""),
        # Accounts (by email) that read flagged answers as written: the named safeguarding leads.
        "SAFEGUARDING_LEADS": frozenset(e.strip().lower() for e in environ.get("SAFEGUARDING_LEADS", "")
                                        .split(",") if e.strip()),
        **mail_settings(environ),
        "TESTING": False,
    }
    if production:
        check_production(settings)
    return settings


SMTP_SECURITY = ("starttls", "ssl", "none")


def mail_settings(environ) -> dict:
    """The trust's own mail server. With SMTP_HOST unset no email is sent, and the site says so."""
    security = environ.get("SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(f"SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}.")
    host = environ.get("SMTP_HOST", "").strip()
    sender = environ.get("MAIL_FROM", "").strip()
    if host and "@" not in sender:
        raise ConfigError("MAIL_FROM must be the address emails come from, like engage@trust.nhs.uk, "
                          "when SMTP_HOST is set.")
    return {
        "SMTP_HOST": host,
        "SMTP_PORT": _int(environ, "SMTP_PORT", 465 if security == "ssl" else 587),
        "SMTP_SECURITY": security,
        "SMTP_USER": environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT_SECONDS": _int(environ, "SMTP_TIMEOUT_SECONDS", 20),
        "MAIL_FROM": sender,
        # A refused message is tried this many times, waiting MAIL_RETRY_SECONDS, then twice as long
        # each time (each try a job in the queue that `engage worker` starts when it is due).
        "MAIL_MAX_ATTEMPTS": _int(environ, "MAIL_MAX_ATTEMPTS", 6),
        "MAIL_RETRY_SECONDS": _int(environ, "MAIL_RETRY_SECONDS", 60),
        # The address people use to reach the site, for links in emails sent by background jobs.
        "PUBLIC_URL": environ.get("PUBLIC_URL", "").strip().rstrip("/"),
    }


def check_production(settings: dict) -> None:
    """Refuse to run in production with settings that would put patients' data at risk."""
    problems = []
    secret = settings["SECRET_KEY"]
    if secret.strip().lower() in UNSAFE_SECRET_KEYS or len(secret) < 32 \
            or secret_bits(secret) < MIN_SECRET_BITS:
        problems.append(
            "SECRET_KEY is missing, a default, shorter than 32 characters or not random enough. Set "
            "SECRET_KEY to a long random value, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if not settings["SESSION_COOKIE_SECURE"]:
        problems.append("SESSION_COOKIE_SECURE is off: production must serve cookies over HTTPS only.")
    if not settings["SAFEGUARDING_LEADS"]:
        problems.append("SAFEGUARDING_LEADS is empty: name the safeguarding leads' accounts (emails, "
                        "separated by commas), who read answers that suggest someone is at risk, as every "
                        "consent page promises.")
    if problems:
        raise ConfigError("Engage will not start in production mode:\n- " + "\n- ".join(problems))
