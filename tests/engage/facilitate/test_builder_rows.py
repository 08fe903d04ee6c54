"""The builder in people's language: options edited as rows (add, remove, reorder, without
JavaScript), keys made from labels and kept once people answer, routing chosen from lists, only the
settings that apply, and messages that say what to do."""

from __future__ import annotations

import re

from sqlmodel import func, select

from surveys.models import Consultation, Page, Question

from .conftest import build_through_forms, rows_data
from .fill import fill

NEW_CHOICE = "/manage/c/rows/pages/who/questions/new?type=choice"


def _consultation(client, routed: bool = False) -> None:
    pages = [{"key": "who", "kind": "questions", "title": "Who", "questions": [
        {"key": "role", "type": "choice", "prompt": "Who are you?", "required": True,
         "config": {"options": [{"key": "patient", "label": "A patient"},
                                {"key": "staff", "label": "NHS staff"}]}}]},
             {"key": "more", "kind": "questions", "title": "More", "questions": [
                 {"key": "why", "type": "text", "prompt": "Why?"}]}]
    if routed:
        pages[1]["show_if"] = {"question": "role", "in": ["staff"]}
    build_through_forms(client, {"slug": "rows", "title": "Rows", "pages": pages})


def _question(key: str = "q1", prompt: str = "Pick one", **extra) -> dict:
    return {"key": key, "prompt": prompt, **extra}


def _count(session) -> int:
    return session.exec(select(func.count()).select_from(Question)).one()


def _row_inputs(html: str, name: str = "cfg_options") -> list[str]:
    """The row boxes' ``<input>`` tags, in order, as shown."""
    return re.findall(rf'<input[^>]*name="{name}-\d+-label"[^>]*>', html)


def _boxes(html: str, name: str = "cfg_options") -> list[str]:
    """The row boxes' values, in order, as shown."""
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in _row_inputs(html, name)]


def test_a_new_choice_question_offers_two_empty_rows_and_no_keys(facilitator_client):
    _consultation(facilitator_client)
    html = facilitator_client.get(NEW_CHOICE).get_data(as_text=True)
    assert _boxes(html) == ["", ""]
    labels = re.findall(r"<label[^>]*data-row-text[^>]*>\s*([^<]*?)\s*</label>", html)
    assert labels == ["Option 1", "Option 2", "Option {n}"]  # the last: the template rows.js copies
    assert "key |" not in html and "Keys use" not in html
    assert 'value="cfg_options add"' in html and "Add another option" in html


def test_rows_are_added_removed_and_moved_without_javascript_and_nothing_is_saved(
        facilitator_client, session):
    _consultation(facilitator_client)
    before = _count(session)
    data = {**_question(), **rows_data("cfg_options", ["Red", "Green"])}
    r = facilitator_client.post(NEW_CHOICE, data={**data, "rows-action": "cfg_options add"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and _boxes(html) == ["Red", "Green", ""]
    # The new row's box has the focus, and only it.
    assert ["autofocus" in tag for tag in _row_inputs(html)] == [False, False, True]
    assert "There is a problem" not in html  # changing rows is not an error
    data = {**_question(), **rows_data("cfg_options", ["Red", "Green", "Blue"])}
    r = facilitator_client.post(NEW_CHOICE, data={**data, "rows-action": "cfg_options up 2"})
    assert _boxes(r.get_data(as_text=True)) == ["Red", "Blue", "Green"]
    r = facilitator_client.post(NEW_CHOICE, data={**data, "rows-action": "cfg_options down 0"})
    assert _boxes(r.get_data(as_text=True)) == ["Green", "Red", "Blue"]
    r = facilitator_client.post(NEW_CHOICE, data={**data, "rows-action": "cfg_options remove 1"})
    assert _boxes(r.get_data(as_text=True)) == ["Red", "Blue"]
    # Past either end, or nonsense: the form comes back as it was.
    for action in ("cfg_options up 0", "cfg_options down 2", "cfg_options remove 99", "cfg_options fly 1",
                   "prompt add", "x" * 5000):
        r = facilitator_client.post(NEW_CHOICE, data={**data, "rows-action": action})
        assert r.status_code == 200 and _boxes(r.get_data(as_text=True)) == ["Red", "Green", "Blue"]
    assert _count(session) == before


def test_keys_are_made_from_labels_readable_and_unique(facilitator_client, session):
    _consultation(facilitator_client)
    # "Yes!" and "Yes" say different things but make the same key: the second gets a number.
    labels = ["I work for the NHS", "Yes", "Yes!", "", "Gwasanaeth Iechyd – ŵyr", "???",
              "Making existing systems, like patient records, quicker and easier to use"]
    r = facilitator_client.post(NEW_CHOICE, data={**_question(), **rows_data("cfg_options", labels)})
    assert r.status_code == 302
    q = session.exec(select(Question).where(Question.key == "q1")).one()
    assert q.config["options"] == [  # the empty row is left out
        {"key": "i-work-for-the-nhs", "label": "I work for the NHS"},
        {"key": "yes", "label": "Yes"}, {"key": "yes-2", "label": "Yes!"},
        {"key": "gwasanaeth-iechyd-wyr", "label": "Gwasanaeth Iechyd – ŵyr"},
        {"key": "option", "label": "???"},
        {"key": "making-existing-systems-like-patient", "label": labels[-1]}]


def test_two_rows_that_say_the_same_are_refused_against_the_row_and_nothing_is_saved(
        facilitator_client, session):
    """Two options "Patient" and "patient " were taken: a respondent could not tell them apart,
    nor a reader of the results."""
    client = facilitator_client
    _consultation(client)
    before = _count(session)
    r = client.post(NEW_CHOICE, data={**_question(),
                                      **rows_data("cfg_options", ["Patient", "NHS staff", "  PATIENT "])})
    html = r.get_data(as_text=True)
    message = "Row 3 says the same as row 1. Change the words so that people can tell them apart"
    assert r.status_code == 400
    assert re.search(r'nhsuk-error-summary.*href="#cfg_options"[^>]*>\s*' + message, html, re.S)
    # Against the row itself, with what was typed kept.
    assert re.search(r'id="cfg_options-2-label-error"\s*>.*?</span>\s*' + message, html, re.S)
    assert 'aria-describedby="cfg_options-2-label-error"' in html
    assert "cfg_options-0-label-error" not in html and "cfg_options-1-label-error" not in html
    assert _boxes(html) == ["Patient", "NHS staff", "PATIENT"]
    assert _count(session) == before
    # Once open, rewording one option into the other's words is refused the same way.
    assert client.post("/manage/c/rows/status", data={"status": "open"}).status_code == 302
    r = _edit(client, "role", ["A patient", "a  patient"], ["patient", "staff"])
    assert r.status_code == 400 and "Row 2 says the same as row 1" in r.get_data(as_text=True)
    session.expire_all()
    role = session.exec(select(Question).where(Question.key == "role")).one()
    assert [o["label"] for o in role.config["options"]] == ["A patient", "NHS staff"]


def test_a_number_box_says_what_to_enter_in_the_pages_language(facilitator_client):
    """WTForms' own "Not a valid integer value." stood in English, or as "Gwerth integer annilys",
    under "Most answers a person may choose"."""
    client = facilitator_client
    _consultation(client)
    url = "/manage/c/rows/pages/who/questions/new?type=multi"
    data = {**_question(), **rows_data("cfg_options", ["A", "B"]), "cfg_max_choices": "two"}
    html = client.post(url, data=data).get_data(as_text=True)
    assert "Enter a whole number, like 5" in html and "integer" not in html
    client.get("/manage/c/rows/?lang=cy")
    r = client.post(url, data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'lang="cy"' in html
    assert "Rhowch rif cyfan, fel 5" in html and "integer" not in html


def _edit(client, key, labels, keys, **extra):
    data = {"prompt": "Who are you?", "required": "y", **extra, **rows_data("cfg_options", labels, keys)}
    return client.post(f"/manage/c/rows/questions/{key}/edit", data=data)


def test_an_automatic_key_follows_its_label_in_a_draft_and_routing_follows_it(facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    r = client.post(NEW_CHOICE, data={**_question("q1", "Where?"),
                                      **rows_data("cfg_options", ["Hopsital", "Home"])})
    assert r.status_code == 302
    r = client.post("/manage/c/rows/pages/more/edit", data={
        "title": "More", "show_if_question": "q1", "show_if_in": ["q1:hopsital"]})
    assert r.status_code == 302, r.get_data(as_text=True)
    # The typo is fixed: the key follows the label, and the routing rule follows the key.
    r = client.post("/manage/c/rows/questions/q1/edit", data={
        "prompt": "Where?", **rows_data("cfg_options", ["Hospital", "Home"], ["hopsital", "home"])})
    assert r.status_code == 302
    session.expire_all()
    q = session.exec(select(Question).where(Question.key == "q1")).one()
    assert [o["key"] for o in q.config["options"]] == ["hospital", "home"]
    page = session.exec(select(Page).where(Page.key == "more")).one()
    assert page.show_if == {"question": "q1", "in": ["hospital"]}
    # A key someone chose (from a file) stays, whatever the label says.
    _edit(client, "role", ["A patient or carer", "NHS staff"], ["patient", "staff"])
    session.expire_all()
    role = session.exec(select(Question).where(Question.key == "role")).one()
    assert [o["key"] for o in role.config["options"]] == ["patient", "staff"]


def test_keys_never_change_once_people_have_answered(facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    client.post(NEW_CHOICE, data={**_question("q1", "Where?"),
                                  **rows_data("cfg_options", ["Hopsital", "Home"])})
    consultation = session.exec(select(Consultation).where(Consultation.slug == "rows")).one()
    fill(session, consultation, 3)
    r = client.post("/manage/c/rows/questions/q1/edit", data={
        "prompt": "Where?", **rows_data("cfg_options", ["Hospital", "Home", "Care home"],
                                        ["hopsital", "home", ""])})
    assert r.status_code == 302
    session.expire_all()
    q = session.exec(select(Question).where(Question.key == "q1")).one()
    assert q.config["options"] == [{"key": "hopsital", "label": "Hospital"}, {"key": "home", "label": "Home"},
                                   {"key": "care-home", "label": "Care home"}]


def test_editing_shows_the_rows_with_their_keys_hidden(facilitator_client):
    _consultation(facilitator_client)
    html = facilitator_client.get("/manage/c/rows/questions/role/edit").get_data(as_text=True)
    assert _boxes(html) == ["A patient", "NHS staff"]
    assert '<input type="hidden" name="cfg_options-0-key" value="patient">' in html
    assert "Edit question: Who are you?" in html


def test_hostile_or_oversized_rows_are_refused_with_clear_messages_and_nothing_saved(
        facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    before = _count(session)
    cases = [
        (rows_data("cfg_options", ["Only one"]), "Enter at least 2 options"),
        (rows_data("cfg_options", []), "Enter at least 2 options"),
        ({}, "Enter at least 2 options"),  # no rows at all (an old form)
        (rows_data("cfg_options", [f"O{i}" for i in range(31)]), "Enter 30 options or fewer"),
        (rows_data("cfg_options", [f"O{i}" for i in range(500)]), "Enter 30 options or fewer"),
        (rows_data("cfg_options", ["A", "x" * 301]), "Row 2 must be 300 characters or fewer"),
        (rows_data("cfg_options", ["A", "B"], ["", "<script>"]), "Row 2 could not be read"),
        (rows_data("cfg_options", ["A", ""], ["a", "b"]), "Enter the text for row 2, or remove the row"),
    ]
    for rows, message in cases:
        r = client.post(NEW_CHOICE, data={**_question(), **rows})
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and message in html, message
        assert 'href="#cfg_options"' in html  # the error summary links to the rows
    # Row numbers far apart are read in order, not as a list of that length.
    r = client.post(NEW_CHOICE, data={**_question(), "cfg_options-rows": "1",
                                      "cfg_options-999-label": "Last", "cfg_options-5-label": "First"})
    assert r.status_code == 302
    q = session.exec(select(Question).where(Question.key == "q1")).one()
    assert [o["label"] for o in q.config["options"]] == ["First", "Last"]
    assert _count(session) == before + 1


def test_scale_labels_are_rows_too_at_least_three_or_none(facilitator_client, session):
    _consultation(facilitator_client)
    url = "/manage/c/rows/pages/who/questions/new?type=likert"
    html = facilitator_client.get(url).get_data(as_text=True)
    assert "Add another point" in html and _boxes(html, "cfg_labels") == []
    r = facilitator_client.post(url, data={**_question("l1", "Agree?"),
                                           **rows_data("cfg_labels", ["Yes", "No"])})
    assert r.status_code == 400
    assert "Enter at least 3 scale labels, or none to use the usual ones" in r.get_data(as_text=True)
    r = facilitator_client.post(url, data={**_question("l1", "Agree?"),
                                           **rows_data("cfg_labels", ["Yes", "Maybe", "No"])})
    assert r.status_code == 302
    assert session.exec(select(Question).where(Question.key == "l1")).one().config["labels"] == \
        ["Yes", "Maybe", "No"]


def test_only_the_settings_that_apply_are_shown(facilitator_client):
    client = facilitator_client
    _consultation(client)
    segment = 'name="is_segment"'
    for qtype, offered in (("choice", True), ("text", False), ("tradeoff", False), ("multi", False)):
        html = client.get(f"/manage/c/rows/pages/who/questions/new?type={qtype}").get_data(as_text=True)
        assert (segment in html) is offered, qtype
    # Repeating an earlier question is offered only when there is one of the same type.
    html = client.get("/manage/c/rows/pages/who/questions/new?type=tradeoff").get_data(as_text=True)
    assert 'name="repeat_of"' not in html
    html = client.get("/manage/c/rows/pages/more/questions/new?type=text").get_data(as_text=True)
    assert 'name="repeat_of"' in html and ">Why?</option>" in html
    # The briefing text box is only on briefing pages.
    html = client.get("/manage/c/rows/pages/new").get_data(as_text=True)
    assert "What kind of page?" in html and 'name="body"' not in html
    assert 'name="body"' not in client.get("/manage/c/rows/pages/new?kind=questions").get_data(as_text=True)
    assert 'name="body"' in client.get("/manage/c/rows/pages/new?kind=briefing").get_data(as_text=True)
    assert 'name="body"' not in client.get("/manage/c/rows/pages/who/edit").get_data(as_text=True)
    # Posting a segment box on a type that cannot be one changes nothing.
    r = client.post("/manage/c/rows/pages/more/questions/new?type=text",
                    data={"key": "t9", "prompt": "Say", "is_segment": "y"})
    assert r.status_code == 302


def test_routing_is_chosen_from_lists_of_earlier_questions_and_their_answers(facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    html = client.get("/manage/c/rows/pages/new?kind=questions").get_data(as_text=True)
    assert re.search(r'<option value="role"[^>]*>\s*Who are you\?\s*</option>', html)
    assert re.search(r'value="role:staff"[^>]*>\s*<label[^>]*>\s*NHS staff\s*</label>', html)
    base = {"key": "staff-only", "title": "For staff"}
    r = client.post("/manage/c/rows/pages/new?kind=questions", data={**base, "show_if_question": "role"})
    assert r.status_code == 400 and "Choose which answer shows this page" in r.get_data(as_text=True)
    r = client.post("/manage/c/rows/pages/new?kind=questions",
                    data={**base, "show_if_question": "role", "show_if_in": ["role:nurse"]})
    assert r.status_code == 400 and "Choose answers from the list given" in r.get_data(as_text=True)
    r = client.post("/manage/c/rows/pages/new?kind=questions",
                    data={**base, "show_if_question": "why", "show_if_in": ["why:x"]})
    assert r.status_code == 400  # a written answer has no list of answers to route on
    assert session.exec(select(func.count()).select_from(Page)).one() == 2
    r = client.post("/manage/c/rows/pages/new?kind=questions",
                    data={**base, "show_if_question": "role", "show_if_in": ["role:staff", "role:patient"]})
    assert r.status_code == 302
    page = session.exec(select(Page).where(Page.key == "staff-only")).one()
    assert page.show_if == {"question": "role", "in": ["patient", "staff"]}
    # An earlier page cannot depend on a later question: it is not offered, and it is refused.
    html = client.get("/manage/c/rows/pages/who/edit").get_data(as_text=True)
    assert '<option value="role">' not in html and "first add a question with a list of answers" in html
    r = client.post("/manage/c/rows/pages/who/edit",
                    data={"title": "Who", "show_if_question": "role", "show_if_in": ["role:staff"]})
    assert r.status_code == 400
    # The overview says who sees the page in words.
    html = client.get("/manage/c/rows/").get_data(as_text=True)
    assert "Shown only to people who answered ‘Who are you?’ with A patient or NHS staff" in html


def test_a_move_that_would_break_routing_is_refused_in_words(facilitator_client, session):
    client = facilitator_client
    _consultation(client, routed=True)
    r = client.post("/manage/c/rows/pages/more/move", data={"direction": "up"})
    assert r.status_code == 303
    html = client.get("/manage/c/rows/").get_data(as_text=True)
    assert "The page ‘More’ is shown only after an answer to ‘Who are you?’, which now comes after it. " \
           "Move the page, or change who sees it" in html
    assert [p.key for p in session.exec(select(Page).order_by(Page.position)).all()] == ["who", "more"]


def test_once_open_options_are_reworded_only(facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    assert client.post("/manage/c/rows/status", data={"status": "open"}).status_code == 302
    html = client.get("/manage/c/rows/questions/role/edit").get_data(as_text=True)
    assert _boxes(html) == ["A patient", "NHS staff"]
    assert "Add another option" not in html and "Move up" not in html and "Remove" not in html
    # A rows button sent anyway changes nothing; a new row is refused at saving.
    r = _edit(client, "role", ["A patient", "NHS staff"], ["patient", "staff"],
              **{"rows-action": "cfg_options add"})
    assert _boxes(r.get_data(as_text=True)) == ["A patient", "NHS staff"]
    r = _edit(client, "role", ["A patient", "NHS staff", "Carer"], ["patient", "staff", ""])
    assert r.status_code == 400 and "Only wording can change" in r.get_data(as_text=True)
    r = _edit(client, "role", ["A patient", "Someone who works for the NHS"], ["patient", "staff"])
    assert r.status_code == 302
    session.expire_all()
    role = session.exec(select(Question).where(Question.key == "role")).one()
    assert role.config["options"][1] == {"key": "staff", "label": "Someone who works for the NHS"}


def test_page_and_question_keys_are_made_when_left_empty(facilitator_client, session):
    client = facilitator_client
    _consultation(client)
    html = client.get("/manage/c/rows/pages/new?kind=questions").get_data(as_text=True)
    assert "Page key (optional)" in html and "Leave it empty and one is made from the title" in html
    for _ in range(2):
        r = client.post("/manage/c/rows/pages/new?kind=questions", data={"key": "", "title": "Your views"})
        assert r.status_code == 302
    r = client.post("/manage/c/rows/pages/your-views/questions/new?type=text",
                    data={"key": "", "prompt": "What matters to you most of all, and why?"})
    assert r.status_code == 302
    assert [p.key for p in session.exec(select(Page).order_by(Page.position)).all()] == [
        "who", "more", "your-views", "your-views-2"]
    made = "what-matters-to-you-most-of-all-and-why"
    assert session.exec(select(Question).where(Question.key == made)).one().prompt.startswith("What matters")


def test_builder_pages_render_in_either_language(facilitator_client):
    """Every builder string goes through Flask-Babel: the pages render with Welsh chosen, in Welsh."""
    client = facilitator_client
    _consultation(client)
    for url in ("/manage/c/rows/?lang=cy", "/manage/c/rows/pages/new",
                "/manage/c/rows/pages/new?kind=questions", "/manage/c/rows/pages/more/edit", NEW_CHOICE,
                "/manage/c/rows/questions/role/edit",
                "/manage/c/rows/pages/who/questions/new?type=likert"):
        r = client.get(url)
        assert r.status_code == 200 and 'lang="cy"' in r.get_data(as_text=True), url
    r = client.post(NEW_CHOICE, data={**_question(), **rows_data("cfg_options", ["One"])})
    assert r.status_code == 400 and "Rhowch o leiaf 2 dewisiadau" in r.get_data(as_text=True)


def test_a_page_shown_to_some_with_no_answer_chosen_links_to_the_answers(facilitator_client, session):
    """The error summary linked to a <div>, so following it went nowhere; it now goes to the first
    answer of the chosen question, and that group of checkboxes carries the error."""
    client = facilitator_client
    _consultation(client)
    r = client.post("/manage/c/rows/pages/new?kind=questions",
                    data={"key": "staff-only", "title": "For staff", "show_if_question": "role"})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#show_if_in-role"' in summary and "Choose which answer shows this page" in summary
    assert re.search(r'<input[^>]*id="show_if_in-role"[^>]*type="checkbox"', page)
    assert 'id="show_if_in-role-error"' in page
