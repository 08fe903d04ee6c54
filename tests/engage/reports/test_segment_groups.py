"""Groups come from the consultation's segment question, whatever its option keys: a builder makes
keys from labels (``i-work-for-the-nhs``), and the report and the theme-by-group table must still
name each group by its label, keep the question's order, and set NHS staff beside everyone else."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import select

from surveys.models import Answer, Page, Question, Respondent

from ...factories import signed_in_lead_with_answers
from .test_reports import docx_text, flat, start

#: The demo's keys, and the keys the builder would have made from their labels.
BUILDER_KEYS = {"patient": "i-am-a-patient-or-have-been-one-recently",
                "carer": "i-look-after-someone-who-uses-the-nhs-a", "public": "i-am-a-member-of-the-public",
                "staff": "i-work-for-the-nhs"}


def with_builder_keys(session, consultation) -> None:
    """Give the segment question's options builder-made keys everywhere a key is kept: the options,
    their Welsh labels, the answers, each person's group and the routing."""
    [role] = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                 Question.is_segment)).all()
    config = dict(role.config)
    config["options"] = [{**o, "key": BUILDER_KEYS[o["key"]]} for o in config["options"]]
    role.config = config
    def renamed(path: str) -> str:
        return re.sub(r"^options\.(\w+)$", lambda m: f"options.{BUILDER_KEYS[m.group(1)]}", path)

    role.translations = {lang: {renamed(p): t for p, t in texts.items()}
                         for lang, texts in role.translations.items()}
    for answer in session.exec(select(Answer).where(Answer.question_id == role.id)).all():
        answer.value = BUILDER_KEYS[answer.value]
    for person in session.exec(select(Respondent).where(Respondent.segment.is_not(None))).all():
        person.segment = BUILDER_KEYS[person.segment]
    for page in session.exec(select(Page).where(Page.consultation_id == consultation.id)).all():
        if (page.show_if or {}).get("question") == role.key:
            page.show_if = {**page.show_if, "in": [BUILDER_KEYS[k] for k in page.show_if["in"]]}
    session.commit()


def test_report_and_matrix_name_groups_from_the_question_with_any_keys(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    with_builder_keys(session, consultation)
    assert "staff" not in set(session.exec(select(Respondent.segment)).all())
    run = start(client, session, consultation)

    themes = f"/manage/{consultation.slug}/themes/{run.id}"
    matrix = unescape(client.get(f"{themes}/matrix").get_data(as_text=True))
    # (A group too small to count is named without its number.)
    heads = re.findall(r'<th[^>]*role="columnheader"[^>]*>\s*([^<]+?)(?: \([\d,]+ people?\))?\s*</th>',
                       matrix)[1:5]
    assert heads == ["I am a patient or have been one recently",
                     "I look after someone who uses the NHS (a carer)",
                     "I am a member of the public", "I work for the NHS"]
    assert "i-work-for-the-nhs" not in matrix

    report = flat(docx_text(client.get(f"{themes}/report.docx").data))
    # Staff are recognised by the option's label, not by a key called "staff".
    assert re.search(r"NHS staff \(\d+\): (?:\d+% lean towards|not shown, so that no one)", report)
    assert re.search(r"Patients, carers and public \(\d+\): (?:\d+% lean towards|not shown, so that)", report)
    assert "I work for the NHS" in report and "i-work-for-the-nhs" not in report
    assert "I-work" not in report and "I am a patient or have been one recently" in report


def test_staff_is_told_by_the_label_in_either_language():
    from types import SimpleNamespace

    from surveys.groups import segment_groups

    role = SimpleNamespace(is_segment=True, config={"options": [
        {"key": "a", "label": "A patient"}, {"key": "b", "label": "NHS staff"},
        {"key": "c", "label": "Someone who works in health care"}, {"key": "d", "label": "A carer"}]},
        translations={"cy": {"options.c": "Rwy'n gweithio yn y GIG", "options.d": "Gofalwr"}})
    groups = segment_groups([SimpleNamespace(is_segment=False), role])
    assert [(g.key, g.name, g.staff) for g in groups] == [
        ("a", "A patient", False), ("b", "NHS staff", True),
        ("c", "Someone who works in health care", True), ("d", "A carer", False)]
    assert segment_groups([]) == []


def _card_groups(board: str) -> list[list[tuple[str, int | None]]]:
    """Each theme card's groups with their shares, as the board shows them (None: "not shown", a
    count that could single someone out); cards that show no group at all are left out."""
    out = []
    # (Welsh: the catalogue's words, or the English until it has them.)
    for key in ("People by group", "Pobl fesul grŵp"):
        row = (r'<dt class="nhsuk-summary-list__key"\s*>\s*' + key
               + r'\s*</dt>\s*<dd class="nhsuk-summary-list__value"\s*>(.*?)</dd>')
        for value in re.findall(row, board, re.S):
            lines = [" ".join(unescape(line).split()) for line in re.split(r"<br\s*/?>", value)]
            if lines[0].startswith(("Groups not shown", "Grwpiau heb eu dangos")):
                continue
            # Welsh too
            entries = [re.fullmatch(r"(.+?): (\d+%|not shown|heb ei ddangos)", line) for line in lines]
            out.append([(m.group(1), int(m.group(2)[:-1]) if m.group(2).endswith("%") else None)
                        for m in entries if m])
    return out


def test_the_board_names_groups_by_their_label_with_any_keys(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    with_builder_keys(session, consultation)
    run = start(client, session, consultation)
    [role] = session.exec(select(Question).where(Question.is_segment)).all()
    labels = [o["label"] for o in role.config["options"]]

    board = client.get(f"/manage/{consultation.slug}/themes/{run.id}").get_data(as_text=True)
    cards = _card_groups(board)
    assert cards and all(cards)
    for groups in cards:
        names = [name for name, _ in groups]
        # Named by the options' labels, in the question's order, never by their keys.
        assert set(names) <= set(labels) | {"Not said"}, names
        assert names == sorted(names, key=lambda n: labels.index(n) if n in labels else len(labels))
        given = [share for _, share in groups if share is not None]
        assert 95 <= sum(given) <= 105 if len(given) == len(groups) else sum(given) <= 100
    assert "I am a member of the public" in {n for groups in cards for n, _ in groups}
    for key in BUILDER_KEYS.values():
        assert key not in board
    # A theme's page names each answer's group the same way.
    first = re.search(rf'href="(/manage/{consultation.slug}/themes/{run.id}/t/\d+)"', board).group(1)
    theme = unescape(client.get(first).get_data(as_text=True))
    shown = set(re.findall(r'<p class="nhsuk-body-s">([^<·]+?)\s*(?:·|</p>)', theme)) & (set(labels) | set(
        BUILDER_KEYS.values()))
    assert shown and shown <= set(labels), shown

    # In Welsh, the groups are the options' Welsh labels (the consultation is offered in Welsh).
    welsh = client.get(f"/manage/{consultation.slug}/themes/{run.id}?lang=cy").get_data(as_text=True)
    cy_labels = [role.translations["cy"][f"options.{o['key']}"] for o in role.config["options"]]
    welsh_names = {n for groups in _card_groups(welsh) for n, _ in groups}
    assert welsh_names and welsh_names <= set(cy_labels) | {"Heb ddweud"}, welsh_names
    client.get("/?lang=en")


def test_a_group_whose_key_reads_not_said_is_kept_apart_from_people_who_did_not_say(app, client, session):
    """The builder makes the key ``not-said`` from an option labelled "Not said"; the report used
    that very key for people who gave no group, so the two became one column, twice."""
    from surveys import report_data

    consultation = signed_in_lead_with_answers(app, session, client, 120)
    BUILDER_KEYS.update(public="not-said")
    try:
        with_builder_keys(session, consultation)
    finally:
        BUILDER_KEYS.update(public="i-am-a-member-of-the-public")
    people = session.exec(select(Respondent).where(Respondent.segment == "i-work-for-the-nhs")).all()
    for person in people[:6]:  # these gave no group
        person.segment = None
        session.add(person)
    session.commit()
    run = start(client, session, consultation)
    report = report_data.gather(session, consultation, run, 5)
    keys = [s.key for s in report.segments]
    assert len(keys) == len(set(keys)), keys
    names = [s.name for s in report.segments]
    assert "I am a member of the public" in names and names[-1] == "Not said", names
    public = sum(t.segments["not-said"] or 0 for t in report.themes)
    assert public and public != sum(t.segments[keys[-1]] or 0 for t in report.themes)
