"""Staff pages in Welsh beyond the templates: the builder's question types and delete buttons,
how responses reached us (filters, tables, the download), and the staff emails, which stay in
English (staff have no language of their own yet) whoever's request sends them."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import yaml

from surveys.models import CHANNELS

from ...factories import PASSWORD, consultation_from, demo_consultation, user
from ...journey_helpers import DEMO_ANSWERS, complete
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..facilitate.test_response_export import _take_part
from ..mail.test_mail import mailing  # noqa: F401  (fixture)
from .every_type import DEFINITION, SLUG


def _signed_in(session, client, consultation):
    user(session, "lead@example.nhs.uk", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})


def test_builder_question_types_and_delete_buttons_in_welsh(client, session):
    consultation = consultation_from(session, DEFINITION)
    consultation.status = "draft"
    session.add(consultation)
    session.commit()
    _signed_in(session, client, consultation)

    types = unescape(client.get(f"/manage/c/{SLUG}/pages/about/questions/new?lang=cy").get_data(as_text=True))
    assert "Pa fath o gwestiwn?" in types and "Un ateb o restr" in types
    assert "One answer from a list" not in types and "What type of question?" not in types

    delete = unescape(client.get(f"/manage/c/{SLUG}/questions/agree/delete").get_data(as_text=True))
    assert "Dileu'r cwestiwn agree?" in delete
    assert re.search(r"<button[^>]*>\s*Dileu'r cwestiwn\s*</button>", delete)
    assert "Delete question" not in delete
    page = unescape(client.get(f"/manage/c/{SLUG}/pages/scale/delete").get_data(as_text=True))
    assert "Caiff y dudalen a'i chwestiynau eu dileu." in page and "Delete page" not in page
    client.get("/?lang=en")


def test_channels_named_in_welsh_in_filters_and_the_download(app, client, session):
    consultation = consultation_from(session, DEFINITION)
    _take_part(app, "Kind staff every time")
    _signed_in(session, client, consultation)

    page = unescape(client.get(f"/manage/c/{SLUG}/responses?lang=cy").get_data(as_text=True))
    for welsh in ("Ar-lein", "Llechen gweithdy", "Papur", "Ffôn"):
        assert welsh in page, welsh
    assert "Workshop tablet" not in page

    rows = list(csv.reader(io.StringIO(client.get(f"/manage/c/{SLUG}/responses/all.csv").data.decode(
        "utf-8-sig"))))
    assert rows[1][1] == "Ar-lein"
    client.get("/?lang=en")
    rows = list(csv.reader(io.StringIO(client.get(f"/manage/c/{SLUG}/responses/all.csv").data.decode(
        "utf-8-sig"))))
    assert rows[1][1] == "Online" == CHANNELS["online"]


def test_safeguarding_email_stays_english_when_a_welsh_answer_is_flagged(app, client, session,
                                                                        mailing):  # noqa: F811
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    demo_consultation(session)
    answers = {k: dict(v) for k, v in DEMO_ANSWERS.items()}
    answers["technology-budget"]["q-fix-one-thing"] = "My carer hit me and I am frightened at home"
    client.get("/?lang=cy")
    complete(client, answers=answers)
    [message] = mailing.to("lead@example.nhs.uk")
    body = message["body"].replace("\r\n", "\n")
    assert message["subject"] == "An answer needs a safeguarding lead to read it"
    assert body.startswith("1 new answer in ")
    assert "may show that someone is at risk of harm.\n\nRead it and record what you did here" in body
    assert "This email does not contain what was written." in body


def test_copying_a_consultation_in_welsh(client, session):
    consultation = consultation_from(session, DEFINITION)
    user(session, "builder@example.nhs.uk", role="facilitator", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "builder@example.nhs.uk", "password": PASSWORD})
    page = unescape(client.get(f"/manage/c/{SLUG}/copy?lang=cy").get_data(as_text=True))
    assert "Copïo'r ymgynghoriad hwn" in page and "Teitl y copi" in page
    assert "Enw cyfeiriad gwe y copi" in page
    assert "Copy this consultation" not in page and "No responses are copied" not in page
    refused = unescape(client.post(f"/manage/c/{SLUG}/copy", data={"slug": "copy-cy", "title": "x" * 201})
                       .get_data(as_text=True))
    assert "Rhaid i'r teitl fod yn 200 o nodau neu lai" in refused
    done = client.post(f"/manage/c/{SLUG}/copy", data={"slug": "copy-cy", "title": "Copi"},
                       follow_redirects=True)
    # The copy's title has no Welsh yet (not the old one's): the message marks it as English.
    assert "Wedi'i gopïo fel <span lang=\"en\">Copi</span>, drafft." in unescape(done.get_data(as_text=True))
    client.get("/?lang=en")


def test_builder_settings_refusals_and_readiness_in_welsh(client, session):
    """What the question types and the builder say (settings, their problems, a key taken, what
    stops opening) comes from ``surveys`` and is shown in Welsh."""
    consultation = consultation_from(session, DEFINITION)
    consultation.status = "draft"
    session.add(consultation)
    session.commit()
    _signed_in(session, client, consultation)
    new = f"/manage/c/{SLUG}/pages/about/questions/new"
    form = unescape(client.get(f"{new}?type=allocate&lang=cy").get_data(as_text=True))
    assert "Dewisiadau i rannu'r gyllideb rhyngddynt" in form and "Y gyllideb i'w rhannu" in form
    assert "Options to share the budget between" not in form and "Budget to share" not in form
    refused = unescape(client.post(f"{new}?type=allocate", data={"prompt": "Share it"})
                       .get_data(as_text=True))
    assert "Rhowch werth ar gyfer ‘Y gyllideb i'w rhannu’" in refused
    taken = unescape(client.post(f"{new}?type=text", data={"prompt": "Why?", "key": "agree"})
                     .get_data(as_text=True))
    assert "Mae cwestiwn gyda'r allwedd ‘agree’ eisoes" in taken and "There is already" not in taken
    client.post(f"/manage/c/{SLUG}/pages/new", data={"kind": "questions", "title": "Empty page"})
    overview = unescape(client.get(f"/manage/c/{SLUG}/").get_data(as_text=True))
    assert "Ychwanegwch gwestiwn at y dudalen ‘Empty page’" in overview
    assert "Add a question to the page" not in overview
    client.get("/?lang=en")


def test_admin_account_pages_and_refusals_in_welsh(client, session):
    consultation = consultation_from(session, DEFINITION)
    user(session, "admin@example.nhs.uk", "admin", consultations=(consultation,))
    user(session, "lead@example.nhs.uk", consultations=(consultation,))
    client.post("/account/sign-in", data={"email": "admin@example.nhs.uk", "password": PASSWORD})
    page = unescape(client.get("/manage/admin/users/new?lang=cy").get_data(as_text=True))
    assert "Gwyliwr (darllen yn unig)" in page and "Yn darllen yr ymgynghoriadau a roddir iddynt" in page
    assert "Viewer (read-only)" not in page and "Sees every consultation" not in page
    taken = unescape(client.post("/manage/admin/users/new", data={
        "email": "lead@example.nhs.uk", "role": "viewer", "password": "a long enough password 123"})
        .get_data(as_text=True))
    assert "Mae cyfrif ar gyfer lead@example.nhs.uk yn bodoli eisoes." in taken
    assert "already exists" not in taken
    client.get("/?lang=en")


def test_an_oversized_translation_is_refused_in_welsh(client, session):
    from sqlmodel import select

    from surveys.models import Page

    consultation = consultation_from(session, DEFINITION)
    _signed_in(session, client, consultation)
    page = session.exec(select(Page).where(Page.consultation_id == consultation.id)).first()
    client.get("/?lang=cy")
    refused = client.post(f"/manage/c/{SLUG}/welsh", data={"offer": "", f"page-{page.id}-title": "x" * 201})
    assert refused.status_code == 400
    body = unescape(refused.get_data(as_text=True))
    assert "This text must be" not in body
    assert "Rhaid i'r testun hwn fod yn 200 o nodau neu lai (mae ganddo 201)" in body
    client.get("/?lang=en")


# A file with something wrong on most of its lines: what the import page says about each.
BROKEN = """\
slug: Bad Slug
title: A consultation
colour: blue
cy:
  summary: Crynodeb
pages:
  - key: about
    kind: questions
    title: About you
    questions:
      - key: role
        type: slider
        prompt: Who are you?
      - key: agree
        type: likert
        prompt: Technology helps.
        config: {stars: 5}
  - key: about
    kind: letter
"""


def _import(client, text: str, name: str = "broken.yaml"):
    return client.post("/manage/import", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_a_broken_definition_file_is_refused_in_welsh(client, session):
    """Each problem in an imported file, and its line, in the staff member's language; the same
    file in English says the same things in English."""
    user(session, "lead@example.nhs.uk")
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    client.get("/?lang=cy")
    refused = _import(client, BROKEN)
    assert refused.status_code == 400
    page = unescape(refused.get_data(as_text=True))
    for welsh in ("llinell 1: rhaid i slug fod yn llythrennau bach, digidau a chysylltnodau",
                  "llinell 1: gosodiad ymgynghoriad anhysbys 'colour'",
                  "llinell 5: nid yw'r testun Cymraeg summary yn cyfieithu dim: nid oes summary Saesneg yma",
                  "llinell 11: rhaid i type fod yn un o ",
                  "llinell 14: gosodiad anhysbys 'stars' ar gyfer cwestiwn likert (a ganiateir: ",
                  "llinell 18: mae allwedd y dudalen 'about' yn cael ei defnyddio ddwywaith",
                  "llinell 18: mae title ar goll",
                  "llinell 18: rhaid i kind fod yn un o briefing, questions"):
        assert welsh in page, welsh
    assert "line 1" not in page and "must be" not in page and "unknown" not in page

    not_yaml = unescape(_import(client, "slug: x\npages: [\n").get_data(as_text=True))
    assert "nid yw hwn yn YAML na JSON dilys" in not_yaml and "not valid YAML" not in not_yaml
    too_deep = unescape(_import(client, "a: " + "[" * 30 + "]" * 30 + "\n").get_data(as_text=True))
    assert "llinell 1: mae'r diffiniad wedi'i nythu'n ddyfnach na 20 lefel" in too_deep

    consultation_from(session, DEFINITION)  # its slug is taken
    taken = unescape(_import(client, yaml.safe_dump({**DEFINITION, "title": "Again"})).get_data(as_text=True))
    assert f"Mae ymgynghoriad o'r enw ‘{SLUG}’ yn bodoli eisoes" in taken and "already exists" not in taken

    client.get("/?lang=en")
    english = unescape(_import(client, BROKEN).get_data(as_text=True))
    assert "line 1: slug must be lowercase letters, digits and hyphens" in english
    assert "line 18: page key 'about' is used twice" in english and "llinell" not in english


def test_the_file_upload_says_its_own_words_in_welsh(client, session):
    """The NHS.UK file upload's script writes "Choose file", "No file chosen" and "or drop file"
    unless the page gives it other words: on a Welsh page they are Welsh."""
    user(session, "lead@example.nhs.uk")
    client.post("/account/sign-in", data={"email": "lead@example.nhs.uk", "password": PASSWORD})
    page = unescape(client.get("/manage/import?lang=cy").get_data(as_text=True))
    for key, welsh in (("choose-files-button", "Dewis ffeil"), ("no-file-chosen", "Dim ffeil wedi'i dewis"),
                       ("drop-instruction", "neu gollwng ffeil"),
                       ("multiple-files-chosen.one", "%{count} ffeil wedi'i dewis")):
        assert f'data-i18n.{key}="{welsh}"' in page, key
    english = unescape(client.get("/manage/import?lang=en").get_data(as_text=True))
    assert 'data-i18n.choose-files-button="Choose file"' in english


def test_what_only_the_definition_check_finds_stops_opening_in_either_language(app, client, session):
    """The not-ready list's last word comes from the definition-file check: said in the reader's
    language, without a line (the builder has no file), and a page with no questions is known as
    'not finished yet' by what the problem is, not by its English words."""
    from sqlmodel import select

    from surveys.models import Consultation, Page, Question
    from surveys.readiness import _definition_problems

    consultation = consultation_from(session, DEFINITION)
    consultation.status = "draft"
    agree = session.exec(select(Question).where(Question.key == "agree")).one()
    agree.is_segment = True  # a second segment question, and not a choice one: only the file check knows
    session.add_all([consultation, agree])
    session.commit()
    _signed_in(session, client, consultation)

    welsh = unescape(client.get(f"/manage/c/{SLUG}/?lang=cy").get_data(as_text=True))
    assert "Dim ond un cwestiwn all fod yn gwestiwn grŵp" in welsh
    assert "Rhaid i'r cwestiwn grŵp fod yn gwestiwn dewis" in welsh
    assert "may be the segment question" not in welsh and not re.search(r"[Ll]linell \d+:", welsh)
    english = unescape(client.get(f"/manage/c/{SLUG}/?lang=en").get_data(as_text=True))
    assert "Only one question may be the segment question" in english
    assert "The segment question must be a choice question" in english
    assert not re.search(r"[Ll]ine \d+:", english)

    agree.is_segment = False
    session.add(Page(consultation_id=consultation.id, key="empty", position=99, kind="questions",
                     title="Empty page"))
    session.add(agree)
    session.commit()
    for language, said in (("cy", "Mae tudalen gwestiynau angen o leiaf un cwestiwn"),
                           ("en", "A questions page needs at least one question")):
        with app.test_request_context(f"/?lang={language}"):
            found = _definition_problems(session, session.get(Consultation, consultation.id))
        assert [(p.message, p.unfinished) for p in found] == [(said, True)], language
