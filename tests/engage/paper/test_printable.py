"""The printable consultation: every question, in standard and large print, for staff only."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlmodel import select

from surveys.models import AuditEvent, Question
from surveys.types import get_type

from ...factories import consultation_from, demo_consultation
from ..auth.conftest import sign_in


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("size", ["standard", "large"])
def test_pdf_contains_every_question_with_boxes_for_a_pen(client, session, staff, size):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get(f"/manage/c/{consultation.slug}/paper.pdf?print={size}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    for q in questions:
        assert _words(q.prompt) in text, q.key
    assert "Strongly prefer" in text and "Both equally" in text  # the trade-off, one box per point
    assert "1 for what matters most" in text  # ranking in numbers
    assert "They must add up to 100" in text  # the budget
    assert "Answer this section only if you ticked 'I work for the NHS'" in text  # routing on paper
    assert f"({'large' if size == 'large' else 'standard'} print)" in text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "consultation.print")).one()
    assert event.detail == {"print": size, "language": "en"}


@pytest.mark.parametrize(("size", "ask"), [("standard", "language=cy"), ("large", "lang=cy")])
def test_welsh_pdf_of_a_bilingual_consultation(client, session, staff, size, ask):
    """The same paper version in Welsh: the consultation's Welsh words and the paper's own."""
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get(f"/manage/c/{consultation.slug}/paper.pdf?print={size}&{ask}")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith(f'{size}-print-cy.pdf"')
    reader = PdfReader(io.BytesIO(r.data))
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    assert "Technoleg yn y GIG: beth sy'n bwysig i chi?" in text  # the title
    assert "Pa un o'r rhain sy'n eich disgrifio orau?" in text  # a question
    assert "Rwy'n gweithio i'r GIG" in text  # an option
    assert "Sut i lenwi hwn" in text and "Adran 1: Amdanoch chi" in text and "Ticiwch un blwch." in text
    assert ("Atebwch yr adran hon dim ond os gwnaethoch dicio 'Rwy'n gweithio i'r GIG' ar gyfer "
            "cwestiwn 1") in text
    assert f"({'print bras' if size == 'large' else 'print safonol'})" in text
    assert "How to fill this in" not in text and "Tick one box" not in text
    assert reader.metadata.title.startswith("Technoleg yn y GIG")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "consultation.print")).one()
    assert event.detail == {"print": size, "language": "cy"}


def test_a_consultation_not_offered_in_welsh_prints_in_english(client, session, staff):
    consultation = consultation_from(session, {**PAIRS, "languages": ["en"]})
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get(f"/manage/c/{consultation.slug}/paper.pdf?language=cy")
    text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages))
    assert "How to fill this in" in text and "Sut i lenwi" not in text
    assert client.get(f"/manage/c/{consultation.slug}/paper.pdf?language=fr").status_code == 404


def test_large_print_is_larger(client, session, staff):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    url = f"/manage/c/{consultation.slug}/paper.pdf?print="
    pages = {size: len(PdfReader(io.BytesIO(client.get(url + size).data)).pages)
             for size in ("standard", "large")}
    assert pages["large"] > pages["standard"] * 1.4
    assert client.get(f"/manage/c/{consultation.slug}/paper.pdf?print=tiny").status_code == 404


def test_paper_version_needs_access(client, session, staff):
    consultation = demo_consultation(session)
    assert client.get(f"/manage/c/{consultation.slug}/paper.pdf").status_code == 302  # sign in first
    sign_in(client, staff("other@example.nhs.uk", "facilitator").email)
    assert client.get(f"/manage/c/{consultation.slug}/paper.pdf").status_code == 403


PAIRS = {
    "slug": "what-matters", "title": "What matters", "summary": "Pairs.", "consent_text": "You agree.",
    "pages": [{"key": "pairs", "title": "Which matters more", "kind": "questions", "questions": [
        {"key": "matters", "type": "pairwise", "prompt": "Which matters more to you?",
         "config": {"pairs": 3, "options": [
             {"key": "waits", "label": "Shorter waits"}, {"key": "kindness", "label": "Kind staff"},
             {"key": "records", "label": "Shared records"}, {"key": "app", "label": "A better NHS App"}]}}]}],
}


@pytest.mark.parametrize("size", ["standard", "large"])
def test_pairs_on_paper_have_a_tick_for_each_side(client, session, staff, size):
    """As many pairs as a person is asked online, the same on every copy, no thing left out of them
    all, each with a box for either side and one for "I can't decide"."""
    consultation = consultation_from(session, PAIRS)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    url = f"/manage/c/{consultation.slug}/paper.pdf?print={size}"
    copies = [_words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(url).data)).pages))
              for _ in range(2)]
    assert copies[0] == copies[1]
    text = copies[0]
    assert "For each pair, tick the one that matters more to you, or tick 'I can't decide'." in text
    q = session.exec(select(Question).where(Question.key == "matters")).one()
    pairs = get_type(q.type).paper_pairs(q)
    assert len(pairs) == 3 and len({frozenset(p) for p in pairs}) == 3
    assert {k for pair in pairs for k in pair} == {"waits", "kindness", "records", "app"}
    assert text.count("I can't decide") == 1 + 3  # the instruction, then a box on each pair's row
    labels = {o["key"]: o["label"] for o in q.config["options"]}
    for a, b in pairs:
        assert _words(f"{labels[a]} {labels[b]} I can't decide") in text


@pytest.mark.parametrize("size", ["standard", "large"])
def test_no_section_heading_is_left_alone_at_the_foot_of_a_page(client, session, staff, size):
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    reader = PdfReader(io.BytesIO(client.get(f"/manage/c/{consultation.slug}/paper.pdf?print={size}").data))
    stranded = []
    for number, page in enumerate(reader.pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not re.search(r"print\) *Page \d+$|^Page \d+$", line)]
        if body and re.match(r"Section \d+:", body[-1]):
            stranded.append((number, body[-1]))
        if len(body) >= 2 and re.match(r"Section \d+:", body[-2]) and \
                body[-1].startswith("Answer this section"):
            stranded.append((number, body[-2]))
    assert stranded == []


@pytest.mark.parametrize(("size", "language"), [("standard", "en"), ("large", "cy")])
def test_the_form_is_tagged_for_screen_readers(client, session, staff, size, language):
    """A form sent by email is read aloud as well as printed: tagged (PDF/UA), in its language,
    its title and sections as headings."""
    import pikepdf

    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get(f"/manage/c/{consultation.slug}/paper.pdf?print={size}&language={language}")
    pdf = pikepdf.open(io.BytesIO(r.data))
    assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == language
    kinds = []

    def walk(node):
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kinds.append(str(kid.S))
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    sections = session.exec(select(Question.page_id).where(Question.consultation_id == consultation.id)
                            .distinct()).all()
    assert kinds.count("/H1") == 1 and kinds.count("/H2") >= len(sections) and "/L" in kinds


def test_the_paper_form_is_honest_about_taking_answers_back(client, session, staff):
    """The consent text speaks of a reference code, which a paper form never gives; the office box
    asks for the number the response is saved as (what the entry page says to write), never a
    reference, which is the person's."""
    consultation = demo_consultation(session)
    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    r = client.get(f"/manage/c/{consultation.slug}/paper.pdf")
    text = _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages))
    assert "On paper you do not get a reference code" in text
    office = text[text.index("For office use"):]
    assert "response number" in office and "reference" not in office
