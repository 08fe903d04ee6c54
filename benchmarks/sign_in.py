"""Benchmark: does a sign-in take as long for an unknown email as for a real account?

    .venv/bin/python -m benchmarks.sign_in [--repeat 15]

Signs in with a wrong password to a real account, to a turned-off account and to an email with no
account, in turn, and prints the median CPU time and wall time of each, and the ratio of unknown to
real (1.0 means the timing tells nothing about which accounts exist). CPU time is this process's
(SQLite and the password hash run in-process), so a busy machine does not blur it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from engage import create_app, db
from surveys import migrate
from surveys.accounts import create_user

PASSWORD = "benchmark password 123"
KINDS = {"real account": "real@example.nhs.uk", "turned-off account": "off@example.nhs.uk",
         "no such account": "nobody@example.nhs.uk"}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "LOGIN_MAX_ATTEMPTS": 10**6,
                      "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijkl"})
    with db.unit_of_work(app) as s:
        create_user(s, KINDS["real account"], PASSWORD, "facilitator")
        create_user(s, KINDS["turned-off account"], PASSWORD, "facilitator").active = False
    client = app.test_client()
    cpu, wall = {k: [] for k in KINDS}, {k: [] for k in KINDS}
    for _ in range(args.repeat):
        for kind, email in KINDS.items():
            c0, w0 = time.process_time(), time.perf_counter()
            r = client.post("/account/sign-in", data={"email": email, "password": "not the password!"})
            cpu[kind].append(time.process_time() - c0)
            wall[kind].append(time.perf_counter() - w0)
            assert r.status_code == 400
    for kind in KINDS:
        print(f"{kind:20} median CPU {statistics.median(cpu[kind]) * 1000:7.1f} ms, "
              f"wall {statistics.median(wall[kind]) * 1000:7.1f} ms")
    ratio = statistics.median(cpu["no such account"]) / statistics.median(cpu["real account"])
    print(f"unknown / real (CPU): {ratio:.2f}")
    app.extensions["engage.db"].dispose()


if __name__ == "__main__":
    main()
