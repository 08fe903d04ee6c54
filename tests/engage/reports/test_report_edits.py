"""The report says what a facilitator did to the themes, from the run's edit log, never more.

It said "A facilitator then checked the themes, renaming them, merging them and moving answers where
the computer got it wrong" of every analysis, edited or not, and "It placed … in 22 themes" of a
run whose computer had found 23 before a merge.
"""

import io

import pytest
from docx import Document
from sqlmodel import select

from .test_reports import docx_text, flat, pdf_text, start, themes_of
from .test_welsh_report import in_welsh


@pytest.fixture
def analysed(app, session, client):
    from ...factories import signed_in_lead_with_answers

    consultation = signed_in_lead_with_answers(app, session, client, 60)
    run = start(client, session, consultation)
    return consultation, run, f"/manage/{consultation.slug}/themes/{run.id}"


def reports(client, base: str) -> list[str]:
    """The Word report's paragraphs, and the PDF report's text, each flattened to one line."""
    return [flat(docx_text(client.get(f"{base}/report.docx").data)),
            flat(pdf_text(client.get(f"{base}/report.pdf").data))]


def done(client, base: str) -> list[str]:
    """The list after "A facilitator then:" in the Word report (none when there is no such list)."""
    paragraphs = [p.text for p in Document(io.BytesIO(client.get(f"{base}/report.docx").data)).paragraphs]
    start_at = next((i for i, p in enumerate(paragraphs) if p.endswith("A facilitator then:")), None)
    if start_at is None:
        return []
    items = []
    for p in paragraphs[start_at + 1:]:
        if p.startswith(("There are now", "None of the", "All ", "Blind check.")) or " of the " in p:
            break
        items.append(p)
    return items


def test_an_analysis_nobody_edited_says_so(client, session, analysed):
    consultation, run, base = analysed
    n = len(themes_of(session, run))
    for text in reports(client, base):
        assert f"answers in {n} themes." in text
        assert ("Not checked by a person. Nobody has edited the themes: they are as the computer made "
                f"them. None of the {n} themes has been marked as reviewed yet") in text
        assert "A facilitator then" not in text and "renaming them" not in text
    assert done(client, base) == []


def test_the_report_names_only_the_edits_made_and_the_computers_own_count(client, session, analysed):
    consultation, run, base = analysed
    themes = sorted(themes_of(session, run), key=lambda t: t.position)
    n = len(themes)
    assert run.metrics["themes"] == n >= 3
    client.post(f"{base}/t/{themes[0].id}", data={"action": "rename", "rename-label": "Waiting rooms",
                                                  "rename-description": ""})
    client.post(f"{base}/t/{themes[2].id}", data={"action": "merge", "merge-target": str(themes[1].id)})
    client.post(f"{base}/t/{themes[1].id}", data={"action": "review"})
    assert len(themes_of(session, run)) == n - 1
    for text in reports(client, base):
        # What the computer found, then what a person did to it.
        assert f"answers in {n} themes." in text and f"answers in {n - 1} themes." not in text
        assert "Checked by a person. A facilitator then:" in text
        assert "renamed themes" in text and "merged themes" in text
        assert "moved answers" not in text and "split themes" not in text and "created themes" not in text
        assert f"There are now {n - 1} themes. 1 of the {n - 1} themes were marked as reviewed." in text
        assert "Nobody has edited" not in text
    assert done(client, base) == ["renamed themes", "merged themes"]

    # Undone edits are no longer said: the log is what was done and kept.
    for _ in range(2):  # the review, then the merge
        assert client.post(f"{base}/edit", data={"action": "undo"}).status_code == 302
    assert done(client, base) == ["renamed themes"]
    for text in reports(client, base):
        assert "merged themes" not in text and "There are now" not in text
        assert f"answers in {n} themes." in text
    assert client.post(f"{base}/edit", data={"action": "undo"}).status_code == 302
    assert done(client, base) == []
    for text in reports(client, base):
        assert "Nobody has edited the themes" in text


def test_a_reviewed_but_unedited_analysis_is_checked_but_not_edited(client, session, analysed):
    consultation, run, base = analysed
    themes = themes_of(session, run)
    for t in themes:
        client.post(f"{base}/t/{t.id}", data={"action": "review"})
    for text in reports(client, base):
        assert ("Checked by a person. Nobody has edited the themes: they are as the computer made them. "
                f"All {len(themes)} themes were marked as reviewed.") in text
    assert done(client, base) == []


def test_the_welsh_report_says_what_was_done_in_welsh(client, session, analysed):
    from surveys.models import ThemeAssignment

    consultation, run, base = analysed
    themes = sorted(themes_of(session, run), key=lambda t: t.position)
    answer = session.exec(select(ThemeAssignment.answer_id)
                          .where(ThemeAssignment.theme_id == themes[0].id)).first()
    client.post(f"{base}/t/{themes[0].id}", data={"action": "move", "move-answer": str(answer),
                                                  "move-target": str(themes[1].id)})
    client.post(f"{base}/edit", data={"action": "create", "label": "Parcio"})
    english = reports(client, base)
    for text in english:
        assert "moved answers from one theme to another" in text and "created themes of their own" in text
    in_welsh(client, consultation, run)
    for text in reports(client, base):
        assert "Wedi'i wirio gan berson. Yna, gwnaeth hwylusydd y canlynol:" in text
        assert "symud atebion o un thema i un arall" in text and "creu eu themâu eu hunain" in text
        assert "A facilitator then" not in text and "moved answers" not in text
        assert f"Mae {len(themes) + 1} thema erbyn hyn." in text
