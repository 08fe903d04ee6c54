"""Every response of a consultation as rows: one person a row, one question a column.

Each answer is written the way the respondent pages show it (the question type's ``display``), so
a new type needs nothing here. Only redacted text is ever read, and reference codes never leave:
a person is their internal number, as on the respondent page. Rows come in batches of people, in
id order (keyset, never OFFSET), so a quarter of a million responses stream in constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session, select

from .models import CHANNELS, Answer, Consultation, Question, Respondent
from .summaries import Filters
from .types import get_type
from .wording import gettext

BATCH = 500


def header(questions: list[Question]) -> list[str]:
    """Column names: who, how and when, then each question's prompt in order."""
    names = question_names(questions)
    return [gettext("Respondent number"), gettext("Channel"), gettext("Group"), gettext("Language"),
            # Times as stored, in UTC, as the workspace's pages give them (the file says so).
            gettext("Started (UTC)"), gettext("Submitted (UTC)")] + [names[q.id] for q in questions]


def question_names(questions: list[Question]) -> dict[int, str]:
    """Each question's prompt by id, told apart where the same question is asked at the start and
    again at the end ("... (at the start)", "... (at the end)"), as the report tells them apart.
    ``questions``: all of the consultation's, so that a question asked again is known."""
    repeated = {q.repeat_of_id for q in questions if q.repeat_of_id}
    return {q.id: (gettext("%(name)s (at the end)", name=q.prompt) if q.repeat_of_id
                   else gettext("%(name)s (at the start)", name=q.prompt) if q.id in repeated
                   else q.prompt)
            for q in questions}


def channel_names() -> dict[str, str]:
    """How each response reached us, in the language being served (English outside a request)."""
    return {key: gettext(name) for key, name in CHANNELS.items()}


def rows(session: Session, consultation: Consultation, questions: list[Question],
         filters: Filters = Filters(), channels: dict[str, str] | None = None) -> Iterator[list]:
    """One row per respondent who matches ``filters``, in the order of :func:`header`. ``channels``
    names the channels (from :func:`channel_names`, made while the request is served: a streamed
    download runs on after it)."""
    channels = channels or channel_names()
    column = {q.id: i for i, q in enumerate(questions)}
    segment = next((q for q in questions if q.is_segment), None)
    groups = {str(o["key"]): o["label"] for o in (segment.config.get("options", []) if segment else [])}
    after = 0
    while True:
        people = session.exec(filters.apply(
            select(Respondent).where(Respondent.consultation_id == consultation.id,
                                     Respondent.id > after)).order_by(Respondent.id).limit(BATCH)).all()
        if not people:
            return
        answers: dict[int, list] = {p.id: [""] * len(questions) for p in people}
        for respondent_id, question_id, value, text in session.exec(
                select(Answer.respondent_id, Answer.question_id, Answer.value, Answer.text_redacted)
                .where(Answer.respondent_id.in_(list(answers)),
                       Answer.question_id.in_(list(column)))):
            question = questions[column[question_id]]
            answers[respondent_id][column[question_id]] = get_type(question.type).display(
                question, value, text)
        for p in people:
            yield [p.id, channels.get(p.channel, p.channel), groups.get(p.segment, p.segment or ""), p.locale,
                   _when(p.started_at), _when(p.submitted_at)] + answers[p.id]
        after = people[-1].id


def _when(moment):
    """A time to the minute (a date and time in a workbook, written out in a CSV), or None."""
    return moment.replace(second=0, microsecond=0) if moment else None
