"""The sign-in limit holds under the real server: `engage serve` with three gunicorn workers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from ...factories import user
from ...servers import free_port

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 10
ATTEMPTS = 70


@pytest.fixture
def served(db_url, app, tmp_path):
    """`engage serve --workers 3` on a free port, on the test database."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "ENGAGE_ENV": "development", "RATE_LIMIT_SIGN_IN": f"{LIMIT}/minute"}
    env.pop("REDIS_URL", None)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "engage.cli", "serve", "--workers", "3",
                             "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=5).close()  # noqa: S310 - http only
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "serve.log").read_text()[-3000:]) from None
            time.sleep(0.3)
    yield base, proc
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(60)
    log.close()


def test_three_workers_let_through_only_the_configured_number_of_sign_ins(served, session):
    base, proc = served
    u = user(session, "fac@example.nhs.uk")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/account/sign-in", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": u.email,
                                   "password": "not the password at all"}).encode()
    codes = []
    for _ in range(ATTEMPTS):
        try:
            opener.open(base + "/account/sign-in", data=body, timeout=60)
            codes.append(200)
        except urllib.error.HTTPError as e:
            codes.append(e.code)
    through = sum(code != 429 for code in codes)
    print(f"{through} of {ATTEMPTS} sign-ins got through with 3 workers (limit {LIMIT})")
    assert set(codes) <= {400, 429}
    assert through == LIMIT
    # Three workers really were serving.
    pids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert len(pids) == 3
