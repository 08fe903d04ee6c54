"""Benchmark: a graceful reload (HUP to `engage serve`, as `systemctl reload engage`) under load.

    .venv/bin/python -m benchmarks.reload [--clients 8] [--seconds 20] [--reloads 2]

Starts `engage serve` on a fresh SQLite database with the demo, keeps CLIENTS threads requesting
respondent pages for SECONDS, sends HUP RELOADS times along the way, and prints how many
requests were answered, how many failed (target 0) and the slowest answer.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
import urllib.request

from .serving import engage_server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--reloads", type=int, default=2)
    args = parser.parse_args(argv)
    pages = ["/c/technology-in-the-nhs/", "/c/technology-in-the-nhs/consent", "/health"]
    ok, failed, slowest = [0], [], [0.0]
    lock = threading.Lock()
    stop = threading.Event()

    def client(n):
        i = n
        while not stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(pages[i % len(pages)], timeout=30) as r:  # noqa: S310
                    r.read()
                with lock:
                    ok[0] += 1
                    slowest[0] = max(slowest[0], time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    failed.append(repr(exc)[:120])
            i += 1

    with engage_server(2, prefix="engage-reload-") as served:
        server = served.process
        pages[:] = [served.base + p for p in pages]
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for _ in range(args.reloads):
            time.sleep(args.seconds / (args.reloads + 1))
            server.send_signal(signal.SIGHUP)
        time.sleep(args.seconds / (args.reloads + 1))
        stop.set()
        for t in threads:
            t.join(60)
    print(f"{args.reloads} graceful reloads (HUP) under {args.clients} clients for {args.seconds:.0f} s: "
          f"{ok[0]} requests answered, {len(failed)} failed (target 0), slowest {slowest[0]:.2f} s")
    for line in failed[:5]:
        print("  failed:", line)


if __name__ == "__main__":
    main()
