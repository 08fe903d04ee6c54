"""The theme summary report: DOCX and PDF parse back, say what was found, keep people anonymous."""

import io
import json
import re
from datetime import datetime

import pytest
from docx import Document
from flask.cli import ScriptInfo
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import delete, select

from engage import cli
from engage.reports import content
from surveys import report_data as data
from surveys import theme_runs
from surveys.groups import hidden_cells, hide_small
from surveys.models import AnalysisRun, Answer, AuditEvent, EvaluationCode, Theme, ThemeAssignment

from ...factories import PASSWORD, demo_consultation, signed_in_lead_with_answers, user

PERSONAL = ("07700", "900456", "Mrs Patel")


@pytest.fixture
def setup(app, session, client):
    return signed_in_lead_with_answers(app, session, client, 80)


def start(client, session, consultation) -> AnalysisRun:
    """An analysis of every written answer: text questions and the trade-offs' reasons."""
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    response = client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    assert response.status_code == 302, response.data[:1000]
    session.expire_all()
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return run


def themes_of(session, run):
    return session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()


def blind_check(session, run, n: int = 40) -> str:
    """A blind check of ``n`` answers, wholly coded, that agrees substantially; its kappa as the
    report writes it (worked out from the codes: the report keeps no copy)."""
    from surveys.evaluation import summary

    placed = session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                          .where(ThemeAssignment.run_id == run.id).order_by(ThemeAssignment.answer_id)).all()
    codes = [EvaluationCode(run_id=run.id, answer_id=a, theme_id=t, position=i, coded=True)
             for i, (a, t) in enumerate(placed[:n])]
    session.add_all(codes)
    session.flush()
    for code in codes:  # one more disagreement at a time, until agreement is substantial
        if summary(session, run)["kappa"] <= 0.8:
            break
        code.theme_id = None
        session.add(code)
        session.flush()
    session.commit()
    return f"{summary(session, run)['kappa']:.2f}"


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_personal_details_are_in_the_raw_answers_only(client, session, setup):
    """The privacy checks below mean something: the sample answers do hold personal details."""
    raw = session.exec(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert any("07700 900456" in t for t in raw) and any("Mrs Patel" in t for t in raw)
    redacted = session.exec(select(Answer.text_redacted).where(Answer.text_redacted.is_not(None))).all()
    assert not any(p in t for t in redacted for p in PERSONAL)


def test_docx_and_pdf_reports_parse_back_with_every_theme_and_quote(client, session, setup):
    run = start(client, session, setup)
    themes = themes_of(session, run)
    assert len(themes) >= 2
    kappa = blind_check(session, run)
    themes[0].label = 'Costs & <waits> "$5 or $10"'  # markup and maths characters are only text
    session.add_all([run, themes[0]])
    session.commit()
    base = f"/manage/{setup.slug}/themes/{run.id}"
    board = client.get(base).get_data(as_text=True)
    assert f"{base}/report.docx" in board and f"{base}/report.pdf" in board

    response = client.get(f"{base}/report.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f'filename="{setup.slug}-theme-report-{run.id}.docx"' in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert setup.title in text and "Theme summary report" in text
    quotes = theme_runs.quote_texts(session, themes)
    for t in themes:
        assert t.label in text
        assert quotes[t.id] and all(q in text for q in quotes[t.id][:5])
    assert "How we did this" in text and "no answers were sent to an outside company" in text
    assert f"Cohen's kappa {kappa}" in text and "to a substantial degree" in text
    assert "Where people stand on the trade-offs" in text and "NHS staff" in text
    assert not any(p in text for p in PERSONAL)
    assert len(Document(io.BytesIO(response.data)).inline_shapes) >= 2  # theme sizes and trade-off charts

    session.exec(delete(EvaluationCode))
    session.commit()
    response = client.get(f"{base}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = flat(pdf_text(response.data))
    for t in themes:
        assert flat(t.label) in text
    assert "No blind check was done" in text
    assert re.search(r"Page 2 of \d+", text)
    assert not any(p in text for p in PERSONAL)

    exports = session.exec(select(AuditEvent).where(AuditEvent.action.like("export.%"))).all()
    assert sorted(e.action for e in exports) == ["export.docx", "export.pdf"]
    assert all(e.object_type == "analysis_run" and e.object_id == str(run.id) for e in exports)


def test_command_line_writes_files_that_parse(app, client, session, setup, tmp_path):
    run = start(client, session, setup)
    labels = {t.label for t in themes_of(session, run)}
    runner = app.test_cli_runner()
    paths = {}
    for fmt in ("docx", "pdf", "csv", "xlsx", "json"):
        paths[fmt] = tmp_path / f"out.{fmt}"
        out = runner.invoke(cli.main, ["export", "report", setup.slug, str(run.id), "--format", fmt,
                                       "--output", str(paths[fmt])], obj=ScriptInfo(create_app=lambda: app))
        assert out.exit_code == 0, out.output
        assert f"Wrote {paths[fmt]}" in out.output
    docx = docx_text(paths["docx"].read_bytes())
    pdf = flat(pdf_text(paths["pdf"].read_bytes()))
    assert all(label in docx and flat(label) in pdf for label in labels)
    csv_text = paths["csv"].read_text("utf-8-sig")
    assert csv_text.startswith("Answer number,Respondent number,Question,Answer,Theme,Sub-theme,Feeling,"
                               "Group,Channel,Flagged for safeguarding")
    rows = list(load_workbook(paths["xlsx"]).active.iter_rows(min_row=2, values_only=True))
    body = json.loads(paths["json"].read_text("utf-8"))
    assert {t["label"] for t in body["themes"] if t["parent"] is None} == labels
    assert len(rows) == len(body["answers"]) == csv_text.count("\n") - 1
    for fmt in ("csv", "json"):
        assert not any(p in paths[fmt].read_text("utf-8") for p in PERSONAL)
    events = session.exec(select(AuditEvent).where(AuditEvent.action.like("export.%"))).all()
    assert len(events) == 5 and all(e.user_id is None for e in events)

    bad = runner.invoke(cli.main, ["export", "report", setup.slug, "999", "--output", str(tmp_path / "x")],
                        obj=ScriptInfo(create_app=lambda: app))
    assert bad.exit_code != 0 and "has no analysis 999" in bad.output


def test_web_and_command_line_give_the_same_exports(app, client, session, setup, tmp_path, monkeypatch):
    """Both go through ``reports.export``: the same name and bytes for CSV and JSON, the same cells in
    XLSX and the same text in DOCX and PDF (their containers stamp the time they were made)."""
    run = start(client, session, setup)
    runner = app.test_cli_runner()
    monkeypatch.chdir(tmp_path)  # the command line writes the file under its own name, here
    routes = {"csv": "answers.csv", "xlsx": "answers.xlsx", "json": "analysis.json",
              "docx": "report.docx", "pdf": "report.pdf"}
    contents = {"xlsx": lambda b: list(load_workbook(io.BytesIO(b)).active.iter_rows(values_only=True)),
                "docx": docx_text, "pdf": pdf_text}
    for fmt, route in routes.items():
        web = client.get(f"/manage/{setup.slug}/themes/{run.id}/{route}")
        assert web.status_code == 200, (fmt, web.data[:500])
        name = re.fullmatch(r'attachment; filename="([^"]+)"', web.headers["Content-Disposition"]).group(1)
        done = runner.invoke(cli.main, ["export", "report", setup.slug, str(run.id), "--format", fmt],
                             obj=ScriptInfo(create_app=lambda: app))
        assert done.exit_code == 0, done.output
        written = (tmp_path / name).read_bytes()  # the same file name as the download
        content = contents.get(fmt, lambda b: b)
        assert content(written) == content(web.data), fmt
        assert len(content(web.data)) > 1, fmt  # not two empty files
    events = session.exec(select(AuditEvent).where(AuditEvent.action.like("export.%"))).all()
    assert sorted((e.action, e.user_id is None) for e in events) == sorted(
        (f"export.{fmt}", via_cli) for fmt in routes for via_cli in (False, True))


def test_small_groups_are_not_broken_down(client, session, setup):
    run = start(client, session, setup)
    report = data.gather(session, setup, run, minimum=10_000)
    assert report.themes and all(not t.broken_down for t in report.themes)
    assert all(not d.shown for item in report.tradeoffs for d in item.groups)
    assert all(not p.distribution.shown for t in report.themes for p in t.positions)
    words = " ".join(b.text for b in content.build(report) if isinstance(b, content.Para))
    assert "fewer than 10000" in words

    normal = data.gather(session, setup, run, minimum=5)
    assert any(t.positions for t in normal.themes)  # trade-off reasons are placed in themes
    everyone = normal.tradeoffs[0].groups[0]
    assert everyone.shown and everyone.total == sum(everyone.counts.values())
    assert [g.group for g in normal.tradeoffs[0].groups] == ["Everyone", "Patients, carers and public",
                                                             "NHS staff"]
    assert any(item.before for item in normal.tradeoffs)  # the repeated question is shown before/after
    for t in normal.themes:
        shown = [n for n in t.segments.values() if n is not None]
        assert all(n == 0 or n >= 5 for n in shown)


def test_suppression_hides_a_second_count_so_none_can_be_worked_out():
    assert hide_small({"a": 20, "b": 3, "c": 9, "d": 0}, 5) == {"a": 20, "b": None, "c": None, "d": 0}
    assert hide_small({"a": 20, "b": 3, "c": 2}, 5) == {"a": 20, "b": None, "c": None}
    assert hide_small({"a": 3, "b": 1}, 5) == {"a": None, "b": None}
    assert hide_small({"a": 6, "b": 7}, 5) == {"a": 6, "b": 7}
    assert hide_small({"a": 0, "b": 0}, 5) == {"a": 0, "b": 0}  # none to single out


def test_a_table_hides_down_each_column_as_well_as_along_each_row():
    """Themes by group: a theme's size and a group's total are both shown, so a count hidden alone
    in its column could be worked out from the group's total, as one alone in its row could."""
    cells = {("t1", "carer"): 2, ("t1", "staff"): 9, ("t1", "public"): 8,
             ("t2", "carer"): 7, ("t2", "staff"): 6, ("t2", "public"): 0}
    hidden = hidden_cells(cells, 5)
    assert ("t1", "carer") in hidden and ("t1", "public") in hidden  # 2, and the smallest beside it
    assert ("t2", "carer") in hidden  # alone in the carers' column otherwise (total 9 less 7)
    for axis in (0, 1):
        for line in {cell[axis] for cell in cells}:
            members = [c for c in cells if c[axis] == line]
            assert sum(c in hidden for c in members) != 1, (line, hidden)
    assert ("t2", "public") in hidden  # a 0, hidden so that the public's 8 at t1 is not alone
    assert hidden_cells({("t", "a"): 9, ("t", "b"): 0, ("u", "a"): 0, ("u", "b"): 0}, 5) == set()
    assert hidden_cells({("t", "a"): 3, ("t", "b"): 0}, 5) == {("t", "a"), ("t", "b")}  # a small theme


def test_people_without_access_are_refused(client, session, app):
    consultation = demo_consultation(session)
    user(session, "other@example.nhs.uk", "facilitator")
    url = f"/manage/{consultation.slug}/themes/1/report"
    assert client.get(f"{url}.pdf").status_code == 302  # to sign in
    client.post("/account/sign-in", data={"email": "other@example.nhs.uk", "password": PASSWORD})
    assert client.get(f"{url}.docx").status_code == 403
    assert client.get(f"{url}.pdf").status_code == 403
    assert session.exec(select(AuditEvent).where(AuditEvent.action.like("export.%"))).all() == []


def test_the_report_is_dated_on_uk_clocks(client, session, setup, monkeypatch):
    """At 00:30 on 1 July in the UK the server's clock (UTC) still says 30 June."""
    import engage.reports

    monkeypatch.setattr(engage.reports, "utcnow", lambda: datetime(2026, 6, 30, 23, 30))
    run = start(client, session, setup)
    base = f"/manage/{setup.slug}/themes/{run.id}"
    words = docx_text(client.get(f"{base}/report.docx").data)
    assert "1 July 2026" in words and "30 June 2026" not in words
