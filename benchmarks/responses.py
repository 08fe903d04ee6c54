"""Benchmark: the responses view with 250,000 synthetic responses in the database.

    .venv/bin/python -m benchmarks.responses [--responses 250000] [--database-url URL] [--repeat 5]

Fills a fresh database (SQLite in a temporary directory unless --database-url is given; it must be
an empty database, or one this benchmark filled before: then it is measured as it is) with the demo
consultation and N respondents answering it (bulk inserts), then prints the median response time
of each workspace page over several requests: totals, question summaries, written answers (first
page, a later page by its "older" link, a filter, searches common and rare), a respondent, and the
theme board, the theme-by-group table and a theme's page (the largest and the smallest theme, and
searches common and rare) of a finished analysis of every written answer; and the median
CPU time this process spent on it; then how long `engage db upgrade` takes to bring that analysis up
to a release's redaction rules (SQLite runs in-process, so on a shared, busy machine that
shows the work itself, without the waiting for a CPU).
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, func, select

from engage import create_app, db
from surveys import migrate, theme_runs
from surveys.accounts import create_user
from surveys.definitions import DEMO, create_from_definition, parse_definition
from surveys.models import AnalysisRun, Answer, Consultation, Page, Respondent, Theme, ThemeAssignment
from surveys.redaction import redact_stored_answers
from surveys.written_answers import text_question_ids
from tests.engage.facilitate.fill import fill

from .theme_pages import add_run

PASSWORD = "benchmark password 123"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=250_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "benchmark-" * 5,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    engine = app.extensions["engage.db"]
    with Session(engine) as s:
        consultation = s.exec(select(Consultation)).first()
        if consultation is None:
            consultation = create_from_definition(s, parse_definition(DEMO.read_bytes()), status="open")
            create_user(s, "bench@example.nhs.uk", PASSWORD, "admin")
            s.commit()
            started = time.perf_counter()
            fill(s, consultation, args.responses, seed=7, batch=10_000)
            print(f"Inserted {args.responses:,} responses in {time.perf_counter() - started:.1f} s "
                  f"({url.split(':')[0]})")
            questions = text_question_ids(s, consultation)
            add_run(s, consultation.id, questions)
            s.commit()
            db.refresh_statistics(app)  # as the daily `engage purge` does
        slug = consultation.slug
        pages = [p.key for p in s.exec(select(Page).where(Page.consultation_id == consultation.id)
                                       .order_by(Page.position)).all()]
        number = s.exec(select(Respondent.id).order_by(Respondent.id.desc())).first()
        run = s.exec(select(AnalysisRun).where(AnalysisRun.consultation_id == consultation.id)).first()
        themes = s.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                        .order_by(Theme.position)).all()
        print(f"{s.exec(select(func.count()).select_from(Respondent)).one():,} respondents, "
              f"{s.exec(select(func.count()).select_from(Answer)).one():,} answers ({url.split(':')[0]})")
    client = app.test_client()
    assert client.post("/account/sign-in", data={"email": "bench@example.nhs.uk",
                                                 "password": PASSWORD}).status_code == 302
    base = f"/manage/c/{slug}/responses"
    paths = [base, base + "?segment=staff&channel=online"]
    question_pages = [k for k in pages if client.get(f"{base}/questions/{k}").status_code == 200]
    paths += [f"{base}/questions/{k}" for k in question_pages]
    paths += [f"{base}/text", f"{base}/text?segment=staff&channel=online", f"{base}/text?q=record",
              f"{base}/text?q=no+such+words", f"{base}/text?q=record&segment=carer&channel=workshop"]
    # A later page, as a person gets there: by following the "older answers" link 40 times.
    later = f"{base}/text"
    for _ in range(40):
        found = re.search(r'href="([^"]+)" rel="next"', client.get(later).get_data(as_text=True))
        later = html.unescape(found.group(1)) if found else later
    paths += [later, f"{base}/r/{number}"]
    board = f"/manage/{slug}/themes/{run.id}"
    paths += [board, f"{board}/matrix", f"{board}/t/{themes[0]}", f"{board}/t/{themes[-1]}",
              f"{board}/t/{themes[0]}?q=record", f"{board}/t/{themes[0]}?q=no+such+words"]
    print(f"{'median ms':>10}  {'max ms':>8}  {'cpu ms':>7}  page")
    for path in paths:
        times, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            r = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        print(f"{statistics.median(times):10.0f}  {max(times):8.0f}  {statistics.median(cpu):7.0f}  {path}")
    # An edit forgets the counts of the themes it touched; the next view counts those again.
    with Session(engine) as s:
        moved = s.exec(select(ThemeAssignment).where(ThemeAssignment.theme_id == themes[0])).first()
    for target in (themes[-1], themes[0]):
        form = {"action": "move", "move-answer": str(moved.answer_id), "move-target": str(target)}
        source = themes[0] if target == themes[-1] else themes[-1]
        t0 = time.perf_counter()
        assert client.post(f"{board}/t/{source}", data=form).status_code == 302
        t1 = time.perf_counter()
        assert client.get(board).status_code == 200
        t2 = time.perf_counter()
        print(f"Moving one answer from the largest theme: {1000 * (t1 - t0):.0f} ms; the board's next "
              f"view, recounting the two themes: {1000 * (t2 - t1):.0f} ms")
    # `engage db upgrade` after a release whose redaction catches more: the analysis (made, as far
    # as it says, under older rules) reads every written answer once and takes out of its labels
    # and keywords the words no redacted answer has any more.
    # The reference, in the same run: the migration's own step, redacting every stored answer again
    # (here it finds nothing to change, so it writes nothing).
    with engine.begin() as conn:
        t0 = time.perf_counter()
        redact_stored_answers(conn)
        migration = time.perf_counter() - t0
    with app.app_context(), db.unit_of_work() as s:
        t0, c0 = time.perf_counter(), time.process_time()
        gone = theme_runs.redact_earlier_analysis(s, s.get(AnalysisRun, run.id))
        seconds = time.perf_counter() - t0
        print(f"Bringing the analysis up to this release's redaction (engage db upgrade): "
              f"{seconds:.1f} s ({time.process_time() - c0:.1f} s CPU here), {len(gone)} words taken out; "
              f"{seconds / migration:.2f} × the migration redacting every stored answer again "
              f"({migration:.1f} s)")
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
