"""The builder: a consultation made entirely through the forms equals the one re-imported from its
exported file; a respondent can complete it; once open only wording changes; bad input never saves."""

from __future__ import annotations

import io
import json

import yaml
from flask.cli import ScriptInfo
from sqlmodel import func, select

from engage import cli
from surveys.definitions import DEMO, parse_definition
from surveys.models import AuditEvent, Consultation, Page, Question, Respondent

from .conftest import build_through_forms, question_data
from .test_welsh import english_only


def normalise(definition: dict) -> dict:
    """Defaults made explicit, so a file that leaves them out compares equal."""
    from surveys.types import get_type

    out = json.loads(json.dumps(definition))
    out.pop("slug", None)
    for page in out["pages"]:
        for q in page.get("questions", []):
            q.setdefault("hint", "")
            q["required"] = bool(q.get("required"))
            for setting in get_type(q["type"]).settings:
                if setting.kind == "bool":
                    q["config"][setting.key] = bool(q["config"].get(setting.key))
    return out


def export(client, slug, fmt="yaml"):
    r = client.get(f"/manage/c/{slug}/export.{fmt}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="{slug}.{fmt}"'
    return r.get_data()


def answer_for(q: Question) -> dict:
    """A valid answer to any question type, as the journey's form would send it."""
    name = f"q-{q.key}"
    keys = [o["key"] for o in q.config.get("options", [])]
    if q.type == "tradeoff":
        return {name: "1"}
    if q.type == "likert":
        return {name: "2"}
    if q.type == "choice":
        return {name: "staff" if "staff" in keys else keys[0]}
    if q.type == "multi":
        return {name: keys[:1]}
    if q.type == "rank":
        return {f"{name}-{k}": str(i) for i, k in enumerate(keys, 1)}
    if q.type == "allocate":
        return {f"{name}-{keys[0]}": str(q.config["total"])}
    return {name: "We need more time with our nurses."}


def complete_as_respondent(client, session, slug) -> Respondent:
    r = client.post(f"/c/{slug}/consent", data={"agree": "y"})
    assert r.status_code == 302
    location = r.headers["Location"]
    seen = 0
    while "/p/" in location:
        key = location.rsplit("/p/", 1)[1].split("?")[0]
        consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
        page = session.exec(select(Page).where(Page.consultation_id == consultation.id,
                                               Page.key == key)).one()
        data = {}
        for q in session.exec(select(Question).where(Question.page_id == page.id)).all():
            data.update(answer_for(q))
        r = client.post(location, data=data)
        assert r.status_code == 302, r.get_data(as_text=True)[:3000]
        location = r.headers["Location"]
        seen += 1
    assert location.endswith(f"/c/{slug}/check") and seen > 3
    r = client.post(f"/c/{slug}/submit", data={})
    assert r.headers["Location"].endswith(f"/c/{slug}/done")
    return session.exec(select(Respondent)).one()


def test_built_through_forms_equals_reimported_file_and_can_be_answered(facilitator_client, session, app):
    client = facilitator_client
    source = yaml.safe_load(DEMO.read_text())
    source["slug"] = "built"
    build_through_forms(client, source)
    built = parse_definition(export(client, "built"))
    # The builder made exactly what the definition file describes.
    # (Its Welsh is written on the Welsh version page: see test_welsh.py.)
    assert normalise(built) == normalise(english_only(parse_definition(DEMO.read_bytes())))

    # Round trip: upload the downloaded file (as another slug), download again: the same.
    text = export(client, "built", "json").decode().replace('"slug": "built"', '"slug": "reimported"')
    r = client.post("/manage/import", data={"file": (io.BytesIO(text.encode()), "built.json")},
                    content_type="multipart/form-data")
    assert r.status_code == 302 and r.headers["Location"] == "/manage/c/reimported/"
    again = parse_definition(export(client, "reimported"))
    assert normalise(again) == normalise(built)

    # And on the command line.
    runner = app.test_cli_runner()
    info = ScriptInfo(create_app=lambda: app)
    out = runner.invoke(cli.main, ["consultations", "export", "built", "--format", "json"], obj=info)
    assert out.exit_code == 0, out.output
    assert normalise(json.loads(out.output)) == normalise(built)

    # Open it; a respondent completes it through the journey.
    r = client.post("/manage/c/built/status", data={"status": "open"})
    assert r.status_code == 302
    respondent = complete_as_respondent(app.test_client(), session, "built")
    assert respondent.submitted_at is not None and respondent.segment == "staff"
    actions = session.exec(select(AuditEvent.action)).all()
    assert {"consultation.create", "page.create", "question.create", "consultation.export",
            "consultation.import", "consultation.open"} <= set(actions)


def test_import_refuses_a_bad_file_with_line_numbers(facilitator_client, session):
    bad = b"slug: Bad Slug\ntitle: x\npages:\n  - key: p\n    kind: questions\n    title: P\n" \
          b"    questions:\n      - key: q\n        type: slider\n        prompt: Hi\n"
    r = facilitator_client.post("/manage/import", data={"file": (io.BytesIO(bad), "bad.yaml")},
                                content_type="multipart/form-data")
    text = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "line 1: slug must be lowercase" in text and "line 8: type must be one of" in text
    assert session.exec(select(func.count()).select_from(Consultation)).one() == 0


def test_cli_import(app, tmp_path, session):
    path = tmp_path / "demo.yaml"
    path.write_bytes(DEMO.read_bytes().replace(b"slug: technology-in-the-nhs", b"slug: from-cli"))
    out = app.test_cli_runner().invoke(cli.main, ["consultations", "import", str(path)],
                                       obj=ScriptInfo(create_app=lambda: app))
    assert out.exit_code == 0, out.output
    assert session.exec(select(Consultation).where(Consultation.slug == "from-cli")).one().status == "draft"


def _small(client):
    build_through_forms(client, {
        "slug": "small", "title": "Small", "pages": [
            {"key": "who", "kind": "questions", "title": "Who", "questions": [
                {"key": "role", "type": "choice", "prompt": "Who are you?", "required": True,
                 "segment": True, "config": {"options": [{"key": "patient", "label": "Patient"},
                                                         {"key": "staff", "label": "Staff"}]}}]},
            {"key": "before", "kind": "questions", "title": "Before", "questions": [
                {"key": "t1", "type": "tradeoff", "prompt": "Where?",
                 "config": {"left": "People", "right": "Speed"}}]},
            {"key": "read", "kind": "briefing", "title": "Read this", "body": "Both sides."},
            {"key": "after", "kind": "questions", "title": "After", "questions": [
                {"key": "t2", "type": "tradeoff", "prompt": "And now?", "repeat_of": "t1",
                 "config": {"left": "People", "right": "Speed"}}]},
        ]})


def test_reorder_and_delete_keep_the_consultation_valid(facilitator_client, session):
    client = facilitator_client
    _small(client)
    # The repeat cannot come before its original: the move is refused and nothing changes.
    r = client.post("/manage/c/small/pages/after/move", data={"direction": "up"})
    assert r.status_code == 302
    r = client.post("/manage/c/small/pages/after/move", data={"direction": "up"})
    assert r.status_code == 303
    order = [p.key for p in session.exec(select(Page).order_by(Page.position)).all()]
    assert order == ["who", "before", "after", "read"]
    # Deleting a question another one repeats is refused; deleting the repeat first works.
    r = client.post("/manage/c/small/questions/t1/delete", data={})
    assert r.status_code == 400 and "repeats this one" in r.get_data(as_text=True)
    assert client.post("/manage/c/small/questions/t2/delete", data={}).status_code == 302
    assert client.post("/manage/c/small/questions/t1/delete", data={}).status_code == 302
    assert session.exec(select(func.count()).select_from(Question)).one() == 1



def test_a_question_moves_within_its_page_and_is_audited(facilitator_client, session):
    client = facilitator_client
    _small(client)
    data = question_data({"key": "why", "type": "text", "prompt": "Why?"})
    assert client.post("/manage/c/small/pages/before/questions/new?type=text", data=data).status_code == 302
    r = client.post("/manage/c/small/questions/why/move", data={"direction": "up"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/manage/c/small/#page-before")
    before = session.exec(select(Page).where(Page.key == "before")).one()
    order = [q.key for q in session.exec(select(Question).where(Question.page_id == before.id)
                                          .order_by(Question.position)).all()]
    assert order == ["why", "t1"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "question.move")).one()
    assert event.detail == {"consultation": "small", "key": "why", "direction": "up"}
    # The first question cannot go higher: refused, said, and nothing changes.
    r = client.post("/manage/c/small/questions/why/move", data={"direction": "up"}, follow_redirects=True)
    assert "The question cannot move further that way" in r.get_data(as_text=True)
    r = client.post("/manage/c/small/questions/why/move", data={"direction": "sideways"})
    assert r.status_code == 400
    session.expire_all()
    assert [q.key for q in session.exec(select(Question).where(Question.page_id == before.id)
                                        .order_by(Question.position)).all()] == ["why", "t1"]

def test_bad_question_input_never_half_saves(facilitator_client, session):
    client = facilitator_client
    _small(client)
    data = question_data({"key": "opts", "type": "choice", "prompt": "Pick", "config": {
        "options": [{"key": f"o{i}", "label": f"Option {i}"} for i in range(31)]}})
    r = client.post("/manage/c/small/pages/before/questions/new?type=choice", data=data)
    assert r.status_code == 400 and "Enter 30 options or fewer" in r.get_data(as_text=True)
    data = question_data({"key": "Bad Key", "type": "text", "prompt": "x" * 501})
    r = client.post("/manage/c/small/pages/before/questions/new?type=text", data=data)
    text = r.get_data(as_text=True)
    assert r.status_code == 400 and "500 characters or fewer" in text and "lowercase letters" in text
    data = question_data({"key": "seg2", "type": "choice", "prompt": "Again?", "segment": True,
                          "config": {"options": [{"key": "x", "label": "X"}, {"key": "y", "label": "Y"}]}})
    r = client.post("/manage/c/small/pages/before/questions/new?type=choice", data=data)
    assert r.status_code == 400 and "already the segment question" in r.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Question)).one() == 3


def test_settings_a_person_could_not_tell_apart_are_refused(facilitator_client, session):
    """A trade-off between "Same" and "Same", and "choose up to 5" of 2, were saved."""
    client = facilitator_client
    _small(client)
    cases = [
        ("tradeoff", {"left": "Speed", "right": " speed "},
         "the two ends of the scale must say different things"),
        ("multi", {"options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}], "max_choices": 5},
         "max_choices may be at most the number of options (2)"),
    ]
    for kind, config, said in cases:
        data = question_data({"key": f"q-{kind}", "type": kind, "prompt": "Which?", "config": config})
        r = client.post(f"/manage/c/small/pages/before/questions/new?type={kind}", data=data)
        page = r.get_data(as_text=True)
        summary = " ".join(page[page.find("nhsuk-error-summary__list"):].split())[:600]
        assert r.status_code == 400 and said.lower() in page.lower(), (kind, summary)
    assert session.exec(select(func.count()).select_from(Question)).one() == 3
    fine = question_data({"key": "q-multi", "type": "multi", "prompt": "Which?", "config": {
        "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}], "max_choices": 2}})
    assert client.post("/manage/c/small/pages/before/questions/new?type=multi", data=fine).status_code == 302


def test_open_freezes_structure_but_allows_recorded_wording_fixes(facilitator_client, session):
    client = facilitator_client
    _small(client)
    assert client.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    assert client.get("/manage/c/small/pages/new").status_code == 200
    assert client.post("/manage/c/small/pages/new", data={"key": "x", "kind": "briefing",
                                                          "title": "X"}).status_code == 400
    assert client.post("/manage/c/small/questions/t1/delete", data={}).status_code == 400
    assert client.post("/manage/c/small/pages/read/move", data={"direction": "up"}).status_code == 303
    # Changing an option key is structure; changing its label is wording.
    q = {"key": "role", "type": "choice", "prompt": "Who are you?", "required": True, "segment": True,
         "config": {"options": [{"key": "patient", "label": "Patient"}, {"key": "nhs", "label": "Staff"}]}}
    data = question_data(q)
    data.pop("key")
    r = client.post("/manage/c/small/questions/role/edit", data=data)
    assert r.status_code == 400 and "Only wording can change" in r.get_data(as_text=True)
    q["config"]["options"][1] = {"key": "staff", "label": "I work for the NHS"}
    q["prompt"] = "Which best describes you?"
    data = question_data(q)
    data.pop("key")
    assert client.post("/manage/c/small/questions/role/edit", data=data).status_code == 302
    session.expire_all()
    consultation = session.exec(select(Consultation)).one()
    role = session.exec(select(Question).where(Question.key == "role")).one()
    assert role.prompt == "Which best describes you?" and consultation.version == 2
    assert role.config["options"][1] == {"key": "staff", "label": "I work for the NHS"}
    fix = session.exec(select(AuditEvent).where(AuditEvent.action == "question.wording_fix")).one()
    assert fix.user_id == client.user.id and fix.detail["changes"]["prompt"][1] == "Which best describes you?"
    # Close, then archive; an archived consultation cannot reopen.
    assert client.post("/manage/c/small/status", data={"status": "closed"}).status_code == 302
    assert client.post("/manage/c/small/status", data={"status": "archived"}).status_code == 302
    assert client.post("/manage/c/small/status", data={"status": "open"}).status_code == 303
    session.expire_all()
    assert session.exec(select(Consultation)).one().status == "archived"


def test_a_draft_with_an_empty_questions_page_cannot_open(facilitator_client, session):
    client = facilitator_client
    client.post("/manage/new", data={"slug": "e", "title": "E", "retention_days": 30, "min_group_size": 5})
    html = client.get("/manage/c/e/").get_data(as_text=True)
    assert '<a href="/manage/c/e/pages/new">Add a page before you open the consultation</a>' in html
    client.post("/manage/c/e/pages/new", data={"key": "p", "kind": "questions", "title": "P"})
    html = client.get("/manage/c/e/").get_data(as_text=True)
    assert '<a href="/manage/c/e/pages/p/questions/new">Add a question to the page ‘P’</a>' in html
    assert "must be a list" not in html
    r = client.post("/manage/c/e/status", data={"status": "open"})
    assert r.status_code == 303
    assert session.exec(select(Consultation)).one().status == "draft"


def test_a_consultation_cannot_open_while_no_safeguarding_lead_is_named(app, facilitator_client, session):
    client = facilitator_client
    _small(client)
    app.config["SAFEGUARDING_LEADS"] = frozenset()
    said = "No safeguarding lead is named, so no one could read answers that suggest someone is at risk"
    assert said in client.get("/manage/c/small/").get_data(as_text=True)  # under "Not ready to open"
    r = client.post("/manage/c/small/status", data={"status": "open"}, follow_redirects=True)
    assert said in r.get_data(as_text=True) and "SAFEGUARDING_LEADS" in r.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(Consultation)).one().status == "draft"
    assert client.get("/c/small/consent").status_code == 404

    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    assert said not in client.get("/manage/c/small/").get_data(as_text=True)
    assert client.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    assert client.post("/manage/c/small/status", data={"status": "closed"}).status_code == 302
    app.config["SAFEGUARDING_LEADS"] = frozenset()  # no longer named: it cannot open again
    r = client.post("/manage/c/small/status", data={"status": "open"}, follow_redirects=True)
    assert said in r.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(Consultation)).one().status == "closed"


def test_preview_renders_the_respondents_page_and_saves_nothing(facilitator_client, session):
    client = facilitator_client
    _small(client)
    r = client.get("/manage/c/small/preview/before")
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Preview" in text and 'data-left="People"' in text
    assert 'name="q-t1" type="radio" value="-3"' in text
    assert 'href="/manage/c/small/preview/read"' in text and "Continue" not in text
    assert session.exec(select(func.count()).select_from(Respondent)).one() == 0


def test_overview_gives_the_whole_web_address_and_links_it_once_open(facilitator_client):
    _small(facilitator_client)
    draft = facilitator_client.get("/manage/c/small/").get_data(as_text=True)
    assert "http://localhost/c/small/" in draft and 'href="http://localhost/c/small/"' not in draft
    assert facilitator_client.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    opened = facilitator_client.get("/manage/c/small/").get_data(as_text=True)
    assert '<a href="http://localhost/c/small/">http://localhost/c/small/</a>' in opened


def test_overview_links_to_every_part_of_the_workspace(facilitator_client):
    _small(facilitator_client)
    html = facilitator_client.get("/manage/c/small/").get_data(as_text=True)
    links = {"/manage/c/small/responses": "Responses", "/manage/small/themes/": "Themes in written answers",
             "/workshop/manage/c/small/": "Workshops"}
    for href, heading in links.items():
        assert f'href="{href}"' in html, href
        page = facilitator_client.get(href)
        assert page.status_code == 200 and heading in page.get_data(as_text=True), href
