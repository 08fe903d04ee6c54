"""Settings: safe defaults, and production refuses unsafe ones with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent


def test_development_generates_secret_once(tmp_path):
    first = config.load({}, tmp_path)
    second = config.load({}, tmp_path)
    assert len(first["SECRET_KEY"]) >= 32
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["DATABASE_URL"] == f"sqlite:///{(tmp_path / 'engage.sqlite3').resolve()}"
    assert first["REDIS_URL"] is None


def test_environment_overrides(tmp_path):
    s = config.load({"DATABASE_URL": "postgresql+psycopg://x/y", "REDIS_URL": "redis://r",
                     "MIN_GROUP_SIZE": "7"}, tmp_path)
    assert (s["DATABASE_URL"], s["REDIS_URL"], s["MIN_GROUP_SIZE"]) == (
        "postgresql+psycopg://x/y", "redis://r", 7)


def test_bad_number_is_explained(tmp_path):
    with pytest.raises(config.ConfigError, match="MIN_GROUP_SIZE must be a whole number"):
        config.load({"MIN_GROUP_SIZE": "lots"}, tmp_path)


@pytest.mark.parametrize("secret", ["", "dev", "change-me", "short"])
def test_production_refuses_default_secret(tmp_path, secret):
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load({"ENGAGE_ENV": "production", "SECRET_KEY": secret}, tmp_path)
    assert not (tmp_path / config.DEV_SECRET_FILE).exists()


LEADS = {"SAFEGUARDING_LEADS": "safeguarding@trust.nhs.uk"}


def test_production_accepts_safe_settings(tmp_path):
    s = config.load({"ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), **LEADS}, tmp_path)
    assert s["SESSION_COOKIE_SECURE"] is True
    # The shortest usual random key (32 hex digits) is accepted too.
    config.load({"ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_hex(16), **LEADS}, tmp_path)


def test_production_refuses_to_start_with_no_safeguarding_lead_named(tmp_path):
    # Every consent page promises a named safeguarding lead reads words that suggest someone is at risk.
    for leads in ("", " , "):
        with pytest.raises(config.ConfigError, match="SAFEGUARDING_LEADS is empty: name the safeguarding"):
            config.load({"ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                         "SAFEGUARDING_LEADS": leads}, tmp_path)


@pytest.mark.parametrize("secret", ["a" * 36, "k" * 48, "ab" * 24, "abc" * 12])
def test_production_refuses_a_long_secret_with_little_randomness(tmp_path, secret):
    with pytest.raises(config.ConfigError, match="not random enough"):
        config.load({"ENGAGE_ENV": "production", "SECRET_KEY": secret}, tmp_path)


@pytest.mark.parametrize("env", ["prod", "Live", "staging", "productoin"])
def test_an_unknown_environment_is_refused(tmp_path, env):
    with pytest.raises(config.ConfigError, match="ENGAGE_ENV must be development or production"):
        config.load({"ENGAGE_ENV": env, "SECRET_KEY": secrets.token_urlsafe(48)}, tmp_path)


def test_an_unknown_environment_stops_the_command_line_with_one_clear_line():
    env = {**os.environ, "ENGAGE_ENV": "prod"}
    result = subprocess.run([sys.executable, "-m", "engage.cli", "db", "upgrade"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.strip() == "Error: ENGAGE_ENV must be development or production, not 'prod'."


def test_rate_limits_and_proxies_are_read_from_the_environment(tmp_path):
    s = config.load({"RATE_LIMIT_SIGN_IN": "5/hour", "RATE_LIMIT_JOIN": "3/30",
                     "TRUSTED_PROXIES": "1"}, tmp_path)
    assert s["RATE_LIMITS"]["sign_in"] == (5, 3600) and s["RATE_LIMITS"]["join"] == (3, 30)
    assert s["RATE_LIMITS"]["withdraw"] == config.RATE_LIMITS["withdraw"]
    assert s["TRUSTED_PROXIES"] == 1
    with pytest.raises(config.ConfigError, match="RATE_LIMIT_SIGN_IN must look like 20/minute"):
        config.load({"RATE_LIMIT_SIGN_IN": "lots"}, tmp_path)


def test_production_start_fails_with_message():
    env = {**os.environ, "ENGAGE_ENV": "production", "SECRET_KEY": "change-me"}
    result = subprocess.run([sys.executable, "-m", "engage.cli", "db", "upgrade"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "will not start in production mode" in result.stderr
    assert "SECRET_KEY" in result.stderr
