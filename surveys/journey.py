"""The shape of a respondent's journey: which pages they see, in what order, given their answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam
from sqlmodel import Session, select

from .models import Answer, Consultation, Page, Question


@dataclass
class Structure:
    """A consultation's pages and questions, loaded once per request."""

    consultation: Consultation
    pages: list[Page]
    questions: list[Question]
    by_page: dict[int, list[Question]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, consultation: Consultation) -> Structure:
        pages = session.exec(select(Page).where(Page.consultation_id == consultation.id)
                             .order_by(Page.position)).all()
        questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)
                                 .order_by(Question.position)).all()
        by_page: dict[int, list[Question]] = {p.id: [] for p in pages}
        for q in questions:
            by_page[q.page_id].append(q)
        return cls(consultation, list(pages), list(questions), by_page)

    def page(self, key: str) -> Page | None:
        return next((p for p in self.pages if p.key == key), None)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def questions_on(self, page: Page) -> list[Question]:
        return self.by_page.get(page.id, [])

    def segment_question(self) -> Question | None:
        return next((q for q in self.questions if q.is_segment), None)


#: Built once (every question page asks): see consultations.by_slug.
_ANSWERS_OF = select(Answer).where(Answer.respondent_id == bindparam("respondent_id"))


def answers_by_key(session: Session, structure: Structure, respondent_id: int) -> dict[str, Answer]:
    return keyed(structure, session.exec(_ANSWERS_OF, params={"respondent_id": respondent_id}).all())


def keyed(structure: Structure, answers) -> dict[str, Answer]:
    """``answers`` by their question's key (answers to questions no longer asked left out)."""
    ids = {q.id: q.key for q in structure.questions}
    return {ids[a.question_id]: a for a in answers if a.question_id in ids}


def rule_met(page: Page, applying: dict[str, Answer]) -> bool:
    """Whether ``page``'s show-if rule (if any) holds for ``applying``: answers on pages that apply
    (see :func:`applying`); an answer left on a page that no longer applies shows nothing."""
    rule = page.show_if
    if not rule:
        return True
    answer = applying.get(rule["question"])
    if answer is None or answer.value is None:
        return False
    given = answer.value if isinstance(answer.value, list) else [answer.value]
    return bool(set(map(str, given)) & set(map(str, rule["in"])))


def _walk(structure: Structure, answers: dict[str, Answer]) -> tuple[list[Page], dict[str, Answer]]:
    """The pages that apply to the person, and their answers on those pages.

    Worked out in page order, each rule reading only answers on pages already found to apply (a
    rule names a question on an earlier page): a page shown only to nurses stops applying when
    the person says they are not staff at all, though the answer "nurse" is still stored on the
    staff page that no longer applies. Everything that asks which pages apply asks here."""
    pages: list[Page] = []
    counted: dict[str, Answer] = {}
    for page in structure.pages:
        if rule_met(page, counted):
            pages.append(page)
            for q in structure.questions_on(page):
                if q.key in answers:
                    counted[q.key] = answers[q.key]
    return pages, counted


def visible_pages(structure: Structure, answers: dict[str, Answer]) -> list[Page]:
    return _walk(structure, answers)[0]


def applying(structure: Structure, answers: dict[str, Answer]) -> dict[str, Answer]:
    """``answers`` (by question key) left out those on pages that no longer apply to the person."""
    return _walk(structure, answers)[1]


def is_visible(structure: Structure, page: Page, answers: dict[str, Answer]) -> bool:
    return page in visible_pages(structure, answers)


def next_page(structure: Structure, current: Page, answers: dict[str, Answer]) -> Page | None:
    """The next page the person should see after ``current`` (None: go to check answers)."""
    return next((p for p in visible_pages(structure, answers) if p.position > current.position), None)


def previous_page(structure: Structure, current: Page, answers: dict[str, Answer]) -> Page | None:
    earlier = [p for p in visible_pages(structure, answers) if p.position < current.position]
    return earlier[-1] if earlier else None


def first_unanswered_required(structure: Structure, answers: dict[str, Answer],
                              after: Page | None = None) -> Page | None:
    """The first visible page (after ``after``, if given) with a required question still
    unanswered (blocks submission)."""
    for page in visible_pages(structure, answers):
        if after is not None and page.position <= after.position:
            continue
        for q in structure.questions_on(page):
            a = answers.get(q.key)
            if q.required and (a is None or (a.value in (None, [], {}) and not a.text)):
                return page
    return None
