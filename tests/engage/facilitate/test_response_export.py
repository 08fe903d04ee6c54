"""Downloading every response (CSV and XLSX): one person a row, every question type written as the
respondent pages show it (pairwise included), redacted text only, no reference codes, the
responses pages' filters, formula cells neutralised, access refused to strangers, and audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from flask.cli import ScriptInfo
from openpyxl import load_workbook
from sqlmodel import select

from engage import cli
from surveys.models import AuditEvent, Respondent

from ...factories import PASSWORD, consultation_from, user
from ..i18n.every_type import ANSWERS, DEFINITION, SLUG

WRITTEN = "=HYPERLINK(\"http://evil.example\") Ring me on 07700 900123, it matters"


def _answer(client, url: str, written: str) -> str:
    """Post one page's answers (each pair shown on the pairwise page, the earlier item chosen)."""
    key = url.rsplit("/p/", 1)[1].split("?")[0]
    while True:
        if key == "pairs":
            html = client.get(url).data.decode()
            pair = re.search(r'name="q-matters-pair-0" value="([a-z:-]+)"', html).group(1)
            data = {"q-matters-pair-0": pair, "q-matters-pick-0": pair.split(":")[0]}
        else:
            data = {"q-why": written} if key == "words" else ANSWERS.get(key, {})
        response = client.post(url, data=data)
        assert response.status_code == 302, (key, response.data.decode()[:500])
        location = response.headers["Location"]
        if location.split("?")[0] != url.split("?")[0]:
            return location


def _take_part(app, written: str) -> str:
    """One whole journey in a client of its own; returns the person's reference code."""
    person = app.test_client()
    location = person.post(f"/c/{SLUG}/consent", data={"agree": "y"}).headers["Location"]
    while "/p/" in location:
        location = _answer(person, location, written)
    person.post(f"/c/{SLUG}/submit")
    return re.search(r"[A-Z0-9]{4}-?[A-Z0-9]{4}", person.get(f"/c/{SLUG}/done").data.decode()).group(0)


@pytest.fixture
def answered(app, client, session):
    consultation = consultation_from(session, DEFINITION)
    references = [_take_part(app, WRITTEN), _take_part(app, "Kind staff every time")]
    user(session, "lead@example.nhs.uk", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    return consultation, references


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'filename="{SLUG}-responses.csv"')
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_every_response_with_every_type_in_csv_and_xlsx(client, session, answered):
    consultation, references = answered
    rows = _csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv"))
    header, people = rows[0], rows[1:]
    prompts = [q["prompt"] for p in DEFINITION["pages"] for q in p.get("questions", [])]
    assert header[:2] == ["Respondent number", "Channel"]
    assert [h for h in header[6:] if " – " not in h] == prompts
    assert len(people) == 2
    first = dict(zip(header, people[0], strict=True))
    assert first["Who are you?"] == "A patient" and first["Group"] == "A patient"
    assert first["Channel"] == "Online" and first["Submitted (UTC)"]
    # A trade-off's position is a number to sort and average, its reason a column of its own.
    assert header[header.index("What matters more?"):header.index("Technology helps.")] == [
        "What matters more?",
        "What matters more? – position from -3 (human connection) to +3 (speed of diagnosis)",
        "What matters more? – why"]
    assert first["What matters more?"] == "Slightly prefer human connection"
    position = "What matters more? – position from -3 (human connection) to +3 (speed of diagnosis)"
    assert first[position] == "-1"
    assert first["What matters more? – why"] == "I like people"
    # Each option's place and share, a column each, as well as the answer as the pages show it.
    assert first["Put these in order"] == "1. Shorter waits; 2. Kind staff; 3. Shared records"
    options = ("Shorter waits", "Kind staff", "Shared records")
    assert [first[f"Put these in order – {o}, place"] for o in options] == ["1", "2", "3"]
    assert [first[f"Share the money – {o}, points"] for o in options] == ["50", "30", "20"]
    assert re.fullmatch(r"[^;]+ over [^;]+; [^;]+ over [^;]+", first["Which matters more to you?"])
    assert first["Which do you use?"] == "Shorter waits, Kind staff"
    # Redacted, and a spreadsheet will not run it as a formula.
    assert first["Why does it matter?"].startswith("'=HYPERLINK")
    assert "07700" not in first["Why does it matter?"] and "[phone number]" in first["Why does it matter?"]
    body = "\n".join(",".join(r) for r in rows)
    assert not any(ref in body or ref.replace("-", "") in body for ref in references)

    response = client.get(f"/manage/c/{SLUG}/responses/all.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [["" if v is None else v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else str(v)
              for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows  # the workbook's times are times (see tests/engage/reports), the same minute
    numbers = dict(zip(rows[0], next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert numbers["Share the money – Kind staff, points"] == 30  # a number a spreadsheet adds up
    assert numbers[position] == -1
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "responses.export")).all()
    assert [e.detail["format"] for e in events] == ["csv", "xlsx"]


def test_the_responses_pages_filters_apply(client, session, answered):
    session.exec(select(Respondent)).first().channel = "paper"
    session.commit()
    paper = _csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv?channel=paper"))
    assert [r[1] for r in paper[1:]] == ["Paper"]
    page = client.get(f"/manage/c/{SLUG}/responses?channel=paper").data.decode()
    assert f"/manage/c/{SLUG}/responses/all.csv?channel=paper" in page
    assert len(_csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv?segment=staff"))) == 1


def test_people_without_access_get_nothing(app, session, answered):
    stranger = app.test_client()
    assert stranger.get(f"/manage/c/{SLUG}/responses/all.csv").status_code == 302  # to sign in
    user(session, "other@example.nhs.uk")
    stranger.post("/account/sign-in", data={"email": "other@example.nhs.uk", "password": PASSWORD})
    response = stranger.get(f"/manage/c/{SLUG}/responses/all.csv")
    assert response.status_code in (403, 404) and b"Why does it matter" not in response.data
    assert stranger.get(f"/manage/c/{SLUG}/responses/all.pdf").status_code in (403, 404)


def test_many_people_stream_in_batches_each_once(client, session, answered, monkeypatch):
    from engage.sample_responses import add_sample_responses
    from surveys import response_export

    consultation, _ = answered
    add_sample_responses(session, consultation, 23)
    session.commit()
    monkeypatch.setattr(response_export, "BATCH", 4)
    people = _csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv"))[1:]
    numbers = [int(r[0]) for r in people]
    assert numbers == sorted(set(numbers)) and len(numbers) == 25


def test_the_command_line_writes_what_the_web_gives(app, client, session, answered, tmp_path):
    web = client.get(f"/manage/c/{SLUG}/responses/all.csv").data
    path = tmp_path / "out.csv"
    runner, info = app.test_cli_runner(), ScriptInfo(create_app=lambda: app)
    result = runner.invoke(cli.main, ["export", "responses", SLUG, "-o", str(path)], obj=info)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == web
    result = runner.invoke(cli.main, ["export", "responses", "no-such-thing"], obj=info)
    assert result.exit_code != 0 and "No consultation called 'no-such-thing'" in result.output
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "responses.export")).all()
    assert [e.detail.get("via") for e in events] == [None, "command line"]


def test_the_something_else_group_is_named_and_can_be_chosen(client, session, answered):
    """A person in the segment question's "Something else" is in a group called that (not its key
    "other") in the download, the summaries, By group and their own page, and the filter keeps them."""
    typed = {"channel": "paper", "consent": "y", "q-role": "other", "q-role-other": "A volunteer",
             "q-connection": "-2", "q-agree": "0", "q-several": ["waits"],
             "q-order-waits": "1", "q-order-kindness": "2", "q-order-records": "3",
             "q-budget-waits": "50", "q-budget-kindness": "50", "q-budget-records": "0",
             "q-matters-pair-0": "waits:records", "q-matters-pick-0": "waits",
             "q-matters-pair-1": "kindness:waits", "q-matters-pick-1": "none", "q-why": "It matters"}
    r = client.post(f"/manage/c/{SLUG}/entry/new", data=typed)
    assert r.status_code == 302, r.data.decode()[:3000]
    number = session.exec(select(Respondent).where(Respondent.channel == "paper")).one().id
    rows = _csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv"))
    assert [row[2] for row in rows[1:]] == ["A patient", "A patient", "Something else"]
    chosen = _csv_rows(client.get(f"/manage/c/{SLUG}/responses/all.csv?segment=other"))
    assert [row[0] for row in chosen[1:]] == [str(number)]
    page = client.get(f"/manage/c/{SLUG}/responses").data.decode()
    assert '<option value="other"' in page and "Something else" in page
    assert re.search(r"Something else\s*</th>", page) and not re.search(r">\s*other\s*<", page)
    summary = client.get(f"/manage/c/{SLUG}/responses/questions/scale").data.decode()
    assert "Something else (1)" in summary and "other (1)" not in summary
    person = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(
        f"/manage/c/{SLUG}/responses/r/{number}").data.decode()))
    assert "Group Something else" in person
