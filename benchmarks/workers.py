"""Benchmark: how fast a web worker boots and how much memory it holds.

    .venv/bin/python -m benchmarks.workers [--workers 2] [--requests 30]

Starts `engage serve` (gunicorn, as in production) on a fresh SQLite database with the demo
consultation, times from launch to the first answered /health, reads each worker's resident memory
from /proc before and after every respondent page has been requested, and reports whether a
worker holds any module of the analysis stack (it must not: targets < 3 s and < 100 MB).
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.request
from pathlib import Path

from .serving import engage_server

HEAVY = ("sklearn", "scipy", "matplotlib", "nltk")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def maps_heavy(pid: int) -> list[str]:
    """Shared libraries of the analysis stack mapped into a process (its imports leave these)."""
    text = Path(f"/proc/{pid}/maps").read_text()
    return sorted({name for name in HEAVY if f"/{name}/" in text})


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        response.read()
        return response.status


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    with engage_server(args.workers, prefix="engage-boot-") as served:
        server, base, boot = served.process, served.base, served.boot_seconds
        time.sleep(1)  # let every worker finish booting
        workers = children(server.pid)
        before = [rss_mb(pid) for pid in workers]
        slug = "technology-in-the-nhs"
        pages = ["/", f"/c/{slug}/", f"/c/{slug}/consent", "/workshop/", f"/c/{slug}/withdraw"]
        for _ in range(args.requests):
            for page in pages:
                get(base + page)
        after = [rss_mb(pid) for pid in workers]
        heavy = sorted({name for pid in workers for name in maps_heavy(pid)})
        print(f"engage serve with {len(workers)} workers: first /health answered {boot:.2f} s "
              f"after launch (target < 3 s)")
        print(f"worker resident memory at boot: median {statistics.median(before):.0f} MB, "
              f"after {args.requests * len(pages)} respondent page requests: median "
              f"{statistics.median(after):.0f} MB, max {max(after):.0f} MB (target < 100 MB)")
        print(f"analysis stack in a worker: {', '.join(heavy) if heavy else 'none'}")


if __name__ == "__main__":
    main()
