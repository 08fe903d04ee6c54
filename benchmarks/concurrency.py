"""Benchmark: simultaneous respondents, quiet, under kill -9 and during graceful reloads; the database
must hold exactly what the server acknowledged.

    .venv/bin/python -m benchmarks.concurrency [--respondents 50] [--threads N] [--database both]
        [--kill 3] [--reload 2] [--workers 2] [--retries 6] [--seed 15]

The defaults take about 2¼ minutes on 2 cores (about 100 requests/s, 36 requests a journey).
Issue #15's size is `--respondents 500`: about 3 minutes per phase there, 6 phases with both
databases.

For each database (SQLite, and PostgreSQL on a throwaway loopback cluster as the tests start it),
`engage serve` runs with the demo consultation and three phases follow, each with RESPONDENTS people
who all start at once and complete the whole journey once: start, consent, every question page,
check, submit, done. Each person keeps cookies and reads each form's CSRF token from the HTML (the
`Respondent` of benchmarks.load), but sees every answer's own response: a POST answered with a
redirect means the server acknowledged it (a page's answers, or the response when it redirects to
/done with a reference). A request that fails (connection reset, 5xx, timeout) is sent again as a
person would resubmit the same page, a few times, with a short pause.

- quiet: nothing else happens;
- kill: KILL gunicorn worker processes (children of the master) with SIGKILL at random moments
  of the run (the master starts new ones);
- reload: RELOAD graceful reloads, SIGHUP to the master (as `systemctl reload engage`).

After each phase the database is opened directly and compared with what was acknowledged:
every acknowledged page's answers are stored, once, on that person's response (a written answer
carries the person's number, so an answer on someone else's response counts as lost), every
acknowledged submission exists exactly once with its reference and submitted_at set, and no
response is submitted that nobody sent. Printed per phase: journeys completed, requests, failed
requests and retries, p50 and p95 per request, lost and doubled answers (targets 0), and in the
reload phase, failed requests (target 0).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field

from tests.journey_helpers import DEMO_ANSWERS, SLUG

from .load import TOKEN, Respondent
from .serving import SECRET_KEY, engage_server, postgres_database
from .workers import children

#: The written answer that carries each person's number, to find answers stored on the wrong response.
TRACER_FIELD, TRACER_PAGE = "q-what-matters-most", "people-and-ai"


def answers_for(key: str, number: int) -> dict:
    data = dict(DEMO_ANSWERS.get(key, {}))
    if key == TRACER_PAGE and TRACER_FIELD in data:
        data[TRACER_FIELD] = tracer(number)
    return data


def tracer(number: int) -> str:
    return f"Being listened to, said person {number}"


class _Keep3xx(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the caller reads the redirect: it is the server's acknowledgement


class Failed(Exception):
    """A request still failed after every retry."""


@dataclass
class Journey:
    """One person's journey, as the server acknowledged it."""

    number: int
    #: The response this browser holds (from its session cookie) once consent was acknowledged.
    public_id: str | None = None
    #: Page key -> the answers sent, for every page whose POST was acknowledged.
    pages: dict[str, dict] = field(default_factory=dict)
    #: The reference of an acknowledged submission.
    reference: str | None = None
    error: str | None = None


@dataclass
class Tally:
    """Requests of one phase, counted by every thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    retries: int = 0
    seconds: list[float] = field(default_factory=list)
    #: Acknowledged steps (pages, consents, submissions): the phase's progress.
    acknowledged: int = 0

    def record(self, seconds: float | None, failure: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            if failure:
                self.failures.append(failure)
            else:
                self.seconds.append(seconds)


class Person(Respondent):
    """A browser (benchmarks.load's Respondent) that reads each POST's own answer, and retries."""

    def __init__(self, base: str, tally: Tally, retries: int, timeout: float):
        super().__init__(base)
        self.jar = next(h.cookiejar for h in self.opener.handlers
                        if isinstance(h, urllib.request.HTTPCookieProcessor))
        self.raw = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _Keep3xx)
        self.tally, self.retries, self.timeout = tally, retries, timeout

    def _url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path)

    def _send(self, opener, url: str, body: bytes | None) -> tuple[int, str, str, str]:
        """One request: (status, body, final URL, Location). Raises OSError/HTTPException on failure."""
        try:
            with opener.open(url, data=body, timeout=self.timeout) as r:
                return r.status, r.read().decode(), r.geturl(), r.headers.get("Location", "")
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.read().decode(errors="replace"), url, e.headers.get("Location", "")

    def _attempts(self, what: str, call):
        """``call()`` until it gives an answer the caller accepts; a person tries again, a few times."""
        for attempt in range(self.retries + 1):
            if attempt:
                with self.tally.lock:
                    self.tally.retries += 1
                time.sleep(min(0.25 * 2 ** attempt, 4) * random.uniform(0.5, 1.5))
            started = time.perf_counter()
            try:
                result, problem = call()
            except (OSError, http.client.HTTPException) as exc:
                result, problem = None, f"{what}: {type(exc).__name__}: {str(exc)[:80]}"
            self.tally.record(time.perf_counter() - started, problem)
            if problem is None:
                return result
        raise Failed(problem)

    def page(self, path: str) -> tuple[str, str]:
        """GET, following redirects (each redirect is a request of its own for the count)."""

        def call():
            status, html, url, _ = self._send(self.opener, self._url(path), None)
            return (html, url), (None if status == 200 else f"GET {path}: {status}")

        return self._attempts(f"GET {path}", call)

    def send(self, url: str, html: str, data: dict) -> str:
        """POST the form on ``html`` (the same answers and token again on a retry); the Location of the
        server's redirect, i.e. its acknowledgement. A refused form (400) is loaded again first."""
        form = [html]

        def call():
            match = TOKEN.search(form[0])
            fields = {**data, **({"csrf_token": match.group(1) or match.group(2)} if match else {})}
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            status, text, _, location = self._send(self.raw, self._url(url), body)
            if status in (302, 303) and location:
                return location, None
            if status == 400:
                form[0] = self.page(url)[0]
            return None, f"POST {urllib.parse.urlsplit(url).path}: {status}"

        return self._attempts(f"POST {url}", call)

    def cookie(self) -> dict:
        """This browser's Flask session, read with the benchmark server's key."""
        value = next((c.value for c in self.jar if c.name == "session"), None)
        return _session_reader().loads(value) if value else {}


_reader = []


def _session_reader():
    if not _reader:
        from flask import Flask
        from flask.sessions import SecureCookieSessionInterface

        app = Flask("reader")
        app.secret_key = SECRET_KEY
        _reader.append(SecureCookieSessionInterface().get_signing_serializer(app))
    return _reader[0]


def walk(person: Person, j: Journey) -> None:
    tally = person.tally
    person.page(f"/c/{SLUG}/")
    html, url = person.page(f"/c/{SLUG}/consent")
    location = person.send(url, html, {"agree": "y"})
    j.public_id = person.cookie().get("responses", {}).get(SLUG, {}).get("id")
    with tally.lock:
        tally.acknowledged += 1
    html, url = person.page(location)
    for _ in range(60):
        if "/p/" not in url:
            break
        key = urllib.parse.urlsplit(url).path.rsplit("/p/", 1)[1]
        data = answers_for(key, j.number)
        location = person.send(url, html, data)
        j.pages[key] = data
        with tally.lock:
            tally.acknowledged += 1
        html, url = person.page(location)
    if not url.endswith("/check"):
        raise Failed(f"the journey went to {url}, not the check page")
    location = person.send(f"/c/{SLUG}/submit", html, {})
    if not location.endswith("/done"):
        raise Failed(f"submitting went to {location}")
    j.reference = person.cookie().get("submitted", {}).get(SLUG)
    with tally.lock:
        tally.acknowledged += 1
    html, _ = person.page(location)
    if j.reference is None or f">{j.reference}<" not in html:
        raise Failed(f"the done page does not show the reference {j.reference}")


def run_people(base: str, count: int, threads: int, retries: int, timeout: float,
               tally: Tally) -> list[Journey]:
    """``count`` journeys on ``threads`` threads that all start at once."""
    journeys = [Journey(n) for n in range(count)]
    queue = iter(journeys)
    take = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker():
        barrier.wait()
        while True:
            with take:
                j = next(queue, None)
            if j is None:
                return
            try:
                walk(Person(base, tally, retries, timeout), j)
            except Exception as exc:  # noqa: BLE001 - every failed journey is counted and shown
                j.error = repr(exc)[:200]

    threading.stack_size(512 * 1024)
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return journeys


def disrupt(master: int, kind: str, times: int, workers: int, progress, stop: threading.Event,
            rng: random.Random, log: list[str]) -> None:
    """At ``times`` random moments of the run (by share of the steps acknowledged), KILL one worker
    (``kind`` "kill") or HUP the master ("reload"); each waits until the workers are back."""
    started = time.monotonic()
    for mark in sorted(rng.uniform(0.05, 0.85) for _ in range(times)):
        while progress() < mark:
            if stop.wait(0.02):
                return
        before, victim = set(children(master)), None
        while kind == "kill" and not before and not stop.wait(0.05):
            before = set(children(master))
        if kind == "kill" and before:
            victim = rng.choice(sorted(before))
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:  # it was being replaced already
                continue
            log.append(f"{time.monotonic() - started:5.1f} s ({mark:.0%}): KILL worker {victim}")
        elif kind == "reload":
            os.kill(master, signal.SIGHUP)
            log.append(f"{time.monotonic() - started:5.1f} s ({mark:.0%}): HUP the master")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not stop.is_set():
            now = set(children(master))
            if len(now) >= workers and (victim not in now if kind == "kill" else not now & before):
                break
            time.sleep(0.05)


@dataclass
class Check:
    expected: int = 0
    lost: int = 0
    doubled: int = 0
    wrong_person: int = 0
    submissions: int = 0
    lost_submissions: int = 0
    doubled_submissions: int = 0
    unacknowledged_stored: int = 0
    orphan_starts: int = 0
    problems: list[str] = field(default_factory=list)


def check_database(url: str, after_id: int, journeys: list[Journey]) -> Check:
    """Compare the database with what the server acknowledged to ``journeys`` (responses whose row
    id is above ``after_id`` belong to this phase)."""
    from sqlmodel import Session, create_engine, select

    from surveys.models import Answer, Consultation, Page, Question
    from surveys.models import Respondent as Row

    engine = create_engine(url)
    out = Check()
    try:
        with Session(engine) as s:
            consultation = s.exec(select(Consultation).where(Consultation.slug == SLUG)).one()
            on_page: dict[str, list[tuple[int, str]]] = {}
            for qid, qkey, pkey in s.exec(select(Question.id, Question.key, Page.key)
                                          .join(Page, Page.id == Question.page_id)
                                          .where(Question.consultation_id == consultation.id)):
                on_page.setdefault(pkey, []).append((qid, qkey))
            rows = s.exec(select(Row).where(Row.consultation_id == consultation.id, Row.id > after_id)).all()
            stored = Counter()
            texts = {}
            for rid, qid, text in s.exec(select(Answer.respondent_id, Answer.question_id, Answer.text)
                                         .where(Answer.respondent_id > after_id)):
                stored[rid, qid] += 1
                texts[rid, qid] = text
            by_reference = Counter(s.exec(select(Row.reference).where(
                Row.reference.in_([j.reference for j in journeys if j.reference])))
                .all()) if any(j.reference for j in journeys) else Counter()
    finally:
        engine.dispose()

    out.doubled = sum(n - 1 for n in stored.values() if n > 1)
    by_public = {r.public_id: r for r in rows}
    held = {j.public_id for j in journeys if j.public_id}
    out.problems += [] if on_page.get(TRACER_PAGE) else [f"no page {TRACER_PAGE}: answers not traced"]
    tracer_qid = next((qid for qid, qkey in on_page.get(TRACER_PAGE, []) if TRACER_FIELD == f"q-{qkey}"),
                      None)
    for j in journeys:
        if j.public_id is None:
            continue
        row = by_public.get(j.public_id)
        for key, data in j.pages.items():
            for qid in expected_questions(on_page.get(key, []), data):
                out.expected += 1
                if row is None or (row.id, qid) not in stored:
                    out.lost += 1
                    out.problems.append(f"person {j.number}: answer to question {qid} on {key} lost")
                elif qid == tracer_qid and (texts[row.id, qid] or "").strip() != tracer(j.number):
                    out.wrong_person += 1
                    out.problems.append(f"person {j.number}: {key} holds {texts[row.id, qid]!r}")
        if j.reference:
            out.submissions += 1
            if row is None or row.reference != j.reference or row.submitted_at is None:
                out.lost_submissions += 1
                out.problems.append(f"person {j.number}: submission {j.reference} not stored")
            elif by_reference[j.reference] != 1:
                out.doubled_submissions += 1
    for row in rows:
        if row.public_id not in held:
            # A consent stored while its answer was lost (a killed worker): the person consented
            # again and carried on with the new one. It must hold nothing.
            out.orphan_starts += 1
            if row.submitted_at is not None:
                out.doubled_submissions += 1
                out.problems.append(f"response {row.reference} submitted, but by nobody's browser")
        elif row.submitted_at is not None and row.reference not in by_reference:
            out.unacknowledged_stored += 1
    out.lost += out.wrong_person
    return out


def expected_questions(questions: list[tuple[int, str]], data: dict) -> set[int]:
    """The questions a page's form answers: each non-empty field belongs to the question with the
    longest key it is named after (``q-KEY`` or ``q-KEY-part``)."""
    found = set()
    for name, value in data.items():
        if not any(str(v).strip() for v in (value if isinstance(value, list) else [value])):
            continue
        owners = [(len(k), qid) for qid, k in questions if name == f"q-{k}" or name.startswith(f"q-{k}-")]
        if owners:
            found.add(max(owners)[1])
    return found


def highest_respondent_id(url: str) -> int:
    from sqlalchemy import func
    from sqlmodel import Session, create_engine, select

    from surveys.models import Respondent as Row

    engine = create_engine(url)
    try:
        with Session(engine) as s:
            return s.exec(select(func.max(Row.id))).one() or 0
    finally:
        engine.dispose()


def _q(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) >= 2 else float("nan")


def phase(served, name: str, args, rng: random.Random) -> dict:
    tally = Tally()
    after = highest_respondent_id(served.database_url)
    stop, log = threading.Event(), []
    # Acknowledged steps per journey (consent, pages, submit): learnt in the quiet phase, which runs first.
    steps = args.respondents * getattr(args, "steps_per_journey", len(DEMO_ANSWERS) + 2)
    disturber = None
    times = {"kill": args.kill, "reload": args.reload}.get(name, 0)
    if times:
        disturber = threading.Thread(target=disrupt, daemon=True, args=(
            served.process.pid, name, times, args.workers, lambda: tally.acknowledged / steps, stop, rng,
            log))
        disturber.start()
    started = time.perf_counter()
    journeys = run_people(served.base, args.respondents, min(args.threads, args.respondents),
                          args.retries, args.timeout, tally)
    elapsed = time.perf_counter() - started
    stop.set()
    if disturber:
        disturber.join(70)
    check = check_database(served.database_url, after, journeys)
    if name == "quiet" and tally.acknowledged:
        args.steps_per_journey = tally.acknowledged / args.respondents
    return {"name": name, "journeys": journeys, "tally": tally, "elapsed": elapsed, "check": check,
            "log": log, "times": times}


def report(database: str, result: dict) -> None:
    journeys, tally, check = result["journeys"], result["tally"], result["check"]
    name, elapsed = result["name"], result["elapsed"]
    done = sum(1 for j in journeys if j.reference and not j.error)
    failed = [j for j in journeys if j.error]
    what = {"quiet": "quiet", "kill": f"{len(result['log'])} of {result['times']} workers killed (SIGKILL)",
            "reload": f"{len(result['log'])} of {result['times']} graceful reloads (HUP)"}[name]
    print(f"[{database}] {name}: {what}")
    print(f"  journeys completed {done}/{len(journeys)} in {elapsed:.1f} s ({done / elapsed:.2f}/s), "
          f"{len(failed)} given up")
    print(f"  requests {tally.requests} ({tally.requests / elapsed:.0f}/s), failed {len(tally.failures)}, "
          f"retries {tally.retries}; "
          f"p50 {_q(tally.seconds, 0.5) * 1000:.0f} ms, p95 {_q(tally.seconds, 0.95) * 1000:.0f} ms")
    print(f"  acknowledged answers {check.expected}: lost {check.lost} (target 0; of which on another "
          f"person's response {check.wrong_person}), doubled {check.doubled} (target 0)")
    print(f"  acknowledged submissions {check.submissions}: lost {check.lost_submissions}, doubled "
          f"{check.doubled_submissions} (targets 0); submitted but the answer was lost in transit "
          f"{check.unacknowledged_stored}; consents stored whose answer was lost {check.orphan_starts}")
    if name == "reload":
        print(f"  failed requests during reload: {len(tally.failures)} (target 0)")
    for line in result["log"]:
        print("   ", line)
    for line in [*Counter(tally.failures).most_common(4)]:
        print(f"    failed ×{line[1]}: {line[0]}")
    for j in failed[:3]:
        print(f"    person {j.number} gave up: {j.error}")
    for line in check.problems[:5]:
        print("    DATABASE:", line)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50, help="people per phase (issue #15: 500)")
    parser.add_argument("--threads", type=int, default=500,
                        help="client threads; fewer than respondents: a pool, each thread takes journeys "
                             "one after another")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--kill", type=int, default=3, help="workers to KILL in the kill phase (0: no phase)")
    parser.add_argument("--reload", type=int, default=2, help="HUPs in the reload phase (0: no phase)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--retries", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=120, help="seconds a client waits for an answer")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--log", help="append the servers' output to this file")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    threads = min(args.threads, args.respondents)
    how = ("one thread each, all started at once" if threads == args.respondents else
           f"a pool of {threads} threads started at once, each taking the next journey when it finishes")
    print(f"{args.respondents} respondents per phase ({how}); `engage serve` with {args.workers} gunicorn "
          f"workers × 4 threads (gthread); up to {args.retries} retries per request; {os.cpu_count()} cores")
    phases = ["quiet"] + (["kill"] if args.kill else []) + (["reload"] if args.reload else [])
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        with ExitStack() as stack:
            output = stack.enter_context(open(args.log, "a")) if args.log else None  # noqa: SIM115
            url = stack.enter_context(postgres_database()) if database == "postgresql" else None
            served = stack.enter_context(engage_server(args.workers, prefix="engage-concurrency-",
                                                       database_url=url,
                                                       **({"output": output} if output else {})))
            if database == "postgresql":
                print("PostgreSQL: a throwaway loopback cluster as the tests start it (fsync off; "
                      "only web workers are killed, never the database)")
            time.sleep(1)
            for name in phases:
                result = phase(served, name, args, rng)
                report(database, result)
                results.append(result)
    lost = sum(r["check"].lost + r["check"].lost_submissions for r in results)
    doubled = sum(r["check"].doubled + r["check"].doubled_submissions for r in results)
    reload_failed = sum(len(r["tally"].failures) for r in results if r["name"] == "reload")
    print(f"overall: lost {lost}, doubled {doubled} (targets 0); failed requests during reload "
          f"{reload_failed} (target 0)")


if __name__ == "__main__":
    main()
