"""Consultations in English and Welsh: definitions, the respondent's pages, the Welsh version page,
copying, and the migration that added the translations."""

from __future__ import annotations

import yaml
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlmodel import select

from surveys import migrate
from surveys.definitions import export_definition, parse_definition
from surveys.models import AuditEvent, Consultation, Page, Question

from ...factories import consultation_from, demo_consultation
from ..auth.conftest import sign_in

BILINGUAL = {
    "slug": "dwyieithog", "title": "Your care", "languages": ["en", "cy"],
    "cy": {"title": "Eich gofal"},
    "pages": [{
        "key": "about", "kind": "questions", "title": "About you", "cy": {"title": "Amdanoch chi"},
        "questions": [
            {"key": "who", "type": "choice", "prompt": "Who are you?", "hint": "Choose one",
             "cy": {"prompt": "Pwy ydych chi?"},
             "config": {"options": [{"key": "patient", "label": "A patient", "cy": "Claf"},
                                    {"key": "staff", "label": "NHS staff"}]}},
            {"key": "trade", "type": "tradeoff", "prompt": "Which matters more?",
             "cy": {"prompt": "Beth sy'n bwysicach?", "left": "Cysylltiad dynol"},
             "config": {"left": "Human connection", "right": "Speed"}},
            {"key": "scale", "type": "likert", "prompt": "Agree?",
             "config": {"labels": ["Agree", "Unsure", "Disagree"]},
             "cy": {"labels": ["Cytuno", "", "Anghytuno"]}},
        ]}],
}


def english_only(node):
    """The definition without its Welsh (and offered in English only)."""
    if isinstance(node, dict):
        return {k: (["en"] if k == "languages" else english_only(v)) for k, v in node.items() if k != "cy"}
    return [english_only(x) for x in node] if isinstance(node, list) else node


def test_a_definition_with_welsh_exports_as_it_was_imported(session):
    consultation = consultation_from(session, BILINGUAL)
    who = session.exec(select(Question).where(Question.key == "who")).one()
    assert who.translations == {"cy": {"prompt": "Pwy ydych chi?", "options.patient": "Claf"}}
    assert who.config == {"options": [{"key": "patient", "label": "A patient"},
                                      {"key": "staff", "label": "NHS staff"}]}  # no Welsh in the config
    scale = session.exec(select(Question).where(Question.key == "scale")).one()
    assert scale.translations == {"cy": {"labels.0": "Cytuno", "labels.2": "Anghytuno"}}
    exported = export_definition(session, consultation)
    assert exported["cy"] == {"title": "Eich gofal"}
    assert exported["pages"][0]["questions"][0]["config"]["options"][0]["cy"] == "Claf"
    assert exported["pages"][0]["questions"][2]["cy"] == {"labels": ["Cytuno", "", "Anghytuno"]}
    again = parse_definition(yaml.safe_dump(exported, allow_unicode=True))
    again["slug"] = "again"
    copy = consultation_from(session, again)
    second = export_definition(session, copy)
    second["slug"] = exported["slug"]
    assert second == exported


def test_welsh_that_translates_nothing_or_is_not_words_is_refused_in_plain_words():
    bad = yaml.safe_dump({**BILINGUAL, "pages": [{**BILINGUAL["pages"][0], "questions": [
        {**BILINGUAL["pages"][0]["questions"][1], "cy": {"middle": "Y ddau", "prompt": ""}}]}]})
    try:
        parse_definition(bad)
    except ValueError as exc:
        problems = [str(p) for p in exc.problems]
    else:
        raise AssertionError("accepted")
    assert any("the Welsh middle translates nothing: there is no English middle here" in p for p in problems)
    assert any("the Welsh prompt must be words" in p for p in problems)


def test_the_welsh_version_page_saves_offers_and_is_audited(client, session, staff):
    consultation = consultation_from(session, english_only(BILINGUAL), status="draft")
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    assert "/manage/c/dwyieithog/welsh" in client.get("/manage/c/dwyieithog/").get_data(as_text=True)
    form = client.get("/manage/c/dwyieithog/welsh").get_data(as_text=True)
    staff_q = session.exec(select(Question).where(Question.key == "who")).one()
    name = f"question-{staff_q.id}-options.staff"
    assert f'id="{name}"' in form and "Welsh for the option: NHS staff" in form
    r = client.post("/manage/c/dwyieithog/welsh", data={"offer": "cy", name: "Staff y GIG",
                                                        f"question-{staff_q.id}-prompt": "Pwy?"})
    assert r.status_code == 302
    session.expire_all()
    c = session.get(Consultation, consultation.id)
    assert c.languages == ["en", "cy"] and c.version == 1  # a draft: no wording-fix version
    q = session.get(Question, staff_q.id)
    assert q.translations["cy"] == {"prompt": "Pwy?", "options.staff": "Staff y GIG"}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "consultation.translate")).one()
    assert event.detail["offered"] is True and event.detail["changes"] == 3


def test_an_oversized_welsh_text_is_refused_and_nothing_is_saved(client, session, staff):
    consultation = consultation_from(session, BILINGUAL)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    page = session.exec(select(Page).where(Page.key == "about")).one()
    who = session.exec(select(Question).where(Question.key == "who")).one()
    r = client.post("/manage/c/dwyieithog/welsh", data={
        "offer": "", f"question-{who.id}-prompt": "Newydd", f"page-{page.id}-title": "x" * 201})
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "There is a problem" in body and "This text must be 200 characters or fewer (it has 201)" in body
    session.expire_all()
    assert session.get(Question, who.id).translations["cy"]["prompt"] == "Pwy ydych chi?"
    assert session.get(Consultation, consultation.id).languages == ["en", "cy"]


def test_on_an_open_consultation_saving_welsh_is_a_wording_fix(client, session, staff):
    consultation = consultation_from(session, BILINGUAL, status="open")
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    who = session.exec(select(Question).where(Question.key == "who")).one()
    data = {"offer": "cy", f"question-{who.id}-prompt": "Pwy ydych chi heddiw?"}
    assert client.post("/manage/c/dwyieithog/welsh", data=data).status_code == 302
    session.expire_all()
    assert session.get(Consultation, consultation.id).version == 2


def test_viewers_cannot_open_or_save_the_welsh_version(client, session, staff):
    consultation = consultation_from(session, BILINGUAL)
    sign_in(client, staff("viewer@example.nhs.uk", "viewer", [consultation]).email)
    assert client.get("/manage/c/dwyieithog/welsh").status_code == 403
    assert client.post("/manage/c/dwyieithog/welsh", data={"offer": ""}).status_code == 403
    session.expire_all()
    assert session.get(Consultation, consultation.id).languages == ["en", "cy"]


def test_a_copy_keeps_both_languages(client, session, staff):
    source = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [source]).email)
    client.post(f"/manage/c/{source.slug}/copy", data={"slug": "next-year", "title": "Next year"})
    session.expire_all()
    copy = session.exec(select(Consultation).where(Consultation.slug == "next-year")).one()
    assert copy.languages == ["en", "cy"]
    assert "title" not in copy.translations["cy"] and copy.translations["cy"]["summary"]
    role = session.exec(select(Question).where(Question.consultation_id == copy.id,
                                               Question.key == "role")).one()
    assert role.translations["cy"]["options.staff"] == "Rwy'n gweithio i'r GIG"


def test_the_translations_migration_goes_down_and_up(db_url):
    engine = create_engine(db_url)
    columns = {t: {c["name"] for c in inspect(engine).get_columns(t)} for t in ("consultation", "question")}
    assert all("translations" in c for c in columns.values())
    engine.dispose()
    command.downgrade(migrate.alembic_config(db_url), "0017")
    engine = create_engine(db_url)
    assert "translations" not in {c["name"] for c in inspect(engine).get_columns("page")}
    engine.dispose()
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    assert "translations" in {c["name"] for c in inspect(engine).get_columns("publication_version")}
    engine.dispose()


def test_the_demo_built_in_english_then_given_its_welsh_on_the_welsh_page_exports_as_the_demo_file(
        client, session, staff):
    from surveys.definitions import DEMO, create_from_definition
    from surveys.journey import Structure
    from surveys.translation_edits import field_name, to_translate

    from .test_builder import normalise

    demo = parse_definition(DEMO.read_bytes())
    built = create_from_definition(session, {**english_only(demo), "slug": "built"})
    source = create_from_definition(session, demo)
    session.commit()
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [built]).email)
    def by_key(consultation):
        return {(type(row).__name__, getattr(row, "key", "")): row
                for row, _ in to_translate(Structure.load(session, consultation))}

    targets = by_key(built)
    welsh = {field_name(targets[name], path): text for name, row in by_key(source).items()
             for path, text in row.translations.get("cy", {}).items()}
    form = client.get("/manage/c/built/welsh").get_data(as_text=True)
    assert all(f'name="{name}"' in form for name in welsh)  # a box for every Welsh text of the demo
    assert client.post("/manage/c/built/welsh", data={"offer": "cy", **welsh}).status_code == 302
    exported = yaml.safe_load(client.get("/manage/c/built/export.yaml").get_data(as_text=True))
    assert normalise(parse_definition(yaml.safe_dump(exported))) == normalise(demo)


def test_the_command_line_imports_and_exports_welsh_exactly(app, tmp_path):
    from flask.cli import ScriptInfo

    from engage import cli

    runner, info = app.test_cli_runner(), ScriptInfo(create_app=lambda: app)
    source = tmp_path / "bilingual.yaml"
    source.write_text(yaml.safe_dump(BILINGUAL, allow_unicode=True), encoding="utf-8")
    out = runner.invoke(cli.main, ["consultations", "import", str(source)], obj=info)
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli.main, ["consultations", "export", "dwyieithog"], obj=info)
    assert out.exit_code == 0, out.output
    assert "cy: Claf" in out.output and "Pwy ydych chi?" in out.output  # readable, not escaped
    exported = yaml.safe_load(out.output)
    again = tmp_path / "again.yaml"
    again.write_text(out.output.replace("slug: dwyieithog", "slug: eto"), encoding="utf-8")
    assert runner.invoke(cli.main, ["consultations", "import", str(again)], obj=info).exit_code == 0
    second = yaml.safe_load(runner.invoke(cli.main, ["consultations", "export", "eto"], obj=info).output)
    assert {**second, "slug": "dwyieithog"} == exported

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**BILINGUAL, "slug": "drwg", "cy": {"title": "x" * 201}}))
    out = runner.invoke(cli.main, ["consultations", "import", str(bad)], obj=info)
    assert out.exit_code != 0 and "the Welsh title must be 200 characters or fewer" in out.output


def test_welsh_for_an_option_or_label_since_removed_is_left_out_of_pages_and_files(client, session, staff):
    consultation = consultation_from(session, BILINGUAL, status="draft")
    scale = session.exec(select(Question).where(Question.key == "scale")).one()
    who = session.exec(select(Question).where(Question.key == "who")).one()
    scale.config = {"labels": ["Yes", "No", "Maybe"]}
    who.config = {"options": [{"key": "staff", "label": "NHS staff"}, {"key": "carer", "label": "A carer"}]}
    scale.translations = {"cy": {"labels.0": "Ie", "labels.5": "Gormod"}}  # a label no longer there
    session.add_all([scale, who])
    session.commit()
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get("/manage/c/dwyieithog/export.yaml")
    assert r.status_code == 200
    exported = yaml.safe_load(r.get_data(as_text=True))
    questions = {q["key"]: q for q in exported["pages"][0]["questions"]}
    assert questions["scale"]["cy"] == {"labels": ["Ie", "", ""]}
    assert all("cy" not in o for o in questions["who"]["config"]["options"])  # Claf's option is gone
    assert client.get("/manage/c/dwyieithog/welsh").status_code == 200


def test_the_page_preview_in_welsh_shows_what_a_welsh_respondent_reads(app, client, session, staff):
    import re

    three_pages = {**BILINGUAL, "pages": [
        *BILINGUAL["pages"],
        {"key": "staff-only", "kind": "questions", "title": "For staff",
         "show_if": {"question": "who", "in": ["staff"]},
         "questions": [{"key": "ward", "type": "text", "prompt": "Which ward?"}]},
        {"key": "end", "kind": "questions", "title": "Anything else",
         "questions": [{"key": "else", "type": "text", "prompt": "Anything else?"}]}]}
    consultation = consultation_from(session, three_pages)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    preview = client.get("/manage/c/dwyieithog/preview/about?lang=cy").get_data(as_text=True)
    assert "Amdanoch chi" in preview and "Pwy ydych chi?" in preview and "Claf" in preview
    assert "Who are you?" not in preview and "Which matters more?" not in preview
    assert '<span lang="en">NHS staff</span>' in preview  # no Welsh given: marked English, as respondents see
    respondent = app.test_client()
    respondent.get("/c/dwyieithog/?lang=cy")
    page = respondent.get(respondent.post("/c/dwyieithog/consent", data={"agree": "y"}).headers["Location"])
    progress = re.compile(r'<span class="engage-progress">([^<]+)</span>')
    assert progress.findall(preview) == progress.findall(page.get_data(as_text=True)) == ["Tudalen 1 o 2"]
    # The bar says plainly what its own count counts.
    assert "o 3" in preview.split("engage-preview-bar")[1].split("</nav>")[0]
    # A page shown only after certain answers counts itself, as for the respondent who reaches it.
    assert progress.findall(client.get("/manage/c/dwyieithog/preview/staff-only?lang=cy")
                            .get_data(as_text=True)) == ["Tudalen 2 o 3"]
