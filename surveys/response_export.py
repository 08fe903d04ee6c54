"""Every response of a consultation as rows: one person a row, one question a column (or a few).

Each answer is written the way the respondent pages show it (the question type's ``display``), so
a new type needs nothing here; a type may add columns a spreadsheet can sort and add up (a
trade-off's position as a number and its reason; a budget's amount per option: ``extra_columns``).
Only redacted text is ever read, and reference codes never leave: a person is their internal
number, as on the respondent page. Rows come in batches of people, in
id order (keyset, never OFFSET), so a quarter of a million responses stream in constant memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass

from sqlmodel import Session, select

from .models import CHANNELS, Answer, Consultation, Question, Respondent
from .summaries import Filters
from .translations import QUESTION_FIELDS, SOURCE, given, localise_question, offers, question_texts
from .types import get_type
from .types.base import OTHER_KEY, OTHER_LABEL
from .wording import gettext, in_english

BATCH = 500


@dataclass(frozen=True)
class Asked:
    """A question as a download gives it to a reader of some language."""

    #: The question, with its wording in the reader's language where that is what is given.
    question: Question
    #: Its wording is given as written (English), so the fixed words around it are English too.
    as_written: bool

    def words(self):
        """Where the fixed words for this question are made (the reader's language, or English)."""
        return in_english() if self.as_written else nullcontext()


def as_read(consultation: Consultation, questions: list[Question], language: str = SOURCE) -> list[Asked]:
    """The questions as a download, or a workspace page of answers, gives them to a reader of
    ``language``, in order.

    One rule, so that no cell wraps Welsh words around English ones ("Ychydig o blaid human
    connection"): a question whose wording the consultation gives in ``language`` (it is offered in
    it, and the prompt and every word of the question's type, such as its poles, options and labels,
    are translated) comes in that language, fixed words and all, as the respondent read it; any other
    comes as written, in English, the fixed words around its wording in English too ("Slightly prefer
    human connection", "... (at the start)"). The column headings of the download itself ("Group",
    "Channel") are always in the reader's language.
    """
    if language == SOURCE or not offers(consultation, language):
        return [Asked(q, True) for q in questions]
    out = []
    for q in questions:
        shown = {path for path in question_texts(q) if path not in QUESTION_FIELDS or path == "prompt"}
        if shown <= {path for path, text in given(q, language).items() if text}:
            out.append(Asked(localise_question(q, consultation, language), False))
        else:
            out.append(Asked(q, True))
    return out


def each_as_read(asked: list[Asked], make: Callable[[list[Question]], dict]) -> dict:
    """``make(questions)`` (a dict by question id) for the questions read in the reader's language,
    then for those as written with their fixed words made in English, merged: each question's
    words in one language, with ``make`` called at most twice (once per language, not per question)."""
    out: dict = {}
    for as_written in (False, True):
        group = [a for a in asked if a.as_written is as_written]
        if group:
            with group[0].words():
                out.update(make([a.question for a in group]))
    return out


def header(asked: list[Asked]) -> list[str]:
    """Column names: who, how and when, then each question's prompt in order, each followed by its
    type's further columns ("What matters more? – why")."""
    names = question_names(asked)
    columns = []
    for a in asked:
        with a.words():
            columns += [names[a.question.id]] + [
                gettext("%(question)s – %(part)s", question=names[a.question.id], part=part)
                for part in get_type(a.question.type).extra_columns(a.question)]
    return [gettext("Respondent number"), gettext("Channel"), gettext("Group"), gettext("Language"),
            # Times as stored, in UTC (the file says so): data to analyse, unlike the workspace's
            # pages, which give UK time.
            gettext("Started (UTC)"), gettext("Submitted (UTC)")] + columns


def question_names(asked: list[Asked]) -> dict[int, str]:
    """Each question's prompt by id, told apart where the same question is asked at the start and
    again at the end ("... (at the start)", "... (at the end)"), as the report tells them apart.
    ``asked``: all of the consultation's questions, so that a question asked again is known."""
    repeated = {a.question.repeat_of_id for a in asked if a.question.repeat_of_id}
    names = {}
    for a in asked:
        q = a.question
        with a.words():
            names[q.id] = (gettext("%(name)s (at the end)", name=str(q.prompt)) if q.repeat_of_id
                           else gettext("%(name)s (at the start)", name=str(q.prompt)) if q.id in repeated
                           else str(q.prompt))
    return names


def group_names(asked: list[Asked]) -> dict[str, str]:
    """Each group (the segment question's option, and "Something else" where it offers that) by
    key, named as that question is given."""
    segment = next((a.question for a in asked if a.question.is_segment), None)
    if segment is None:
        return {}
    names = {str(o["key"]): str(o["label"]) for o in segment.config.get("options", [])}
    if segment.config.get("other"):
        names[OTHER_KEY] = gettext(OTHER_LABEL)
    return names


def channel_names() -> dict[str, str]:
    """How each response reached us, in the language being served (English outside a request)."""
    return {key: gettext(name) for key, name in CHANNELS.items()}


def rows(session: Session, consultation: Consultation, asked: list[Asked],
         filters: Filters = Filters(), channels: dict[str, str] | None = None) -> Iterator[list]:
    """One row per respondent who matches ``filters``, in the order of :func:`header`. ``channels``
    names the channels (from :func:`channel_names`, made while the request is served: a streamed
    download runs on after it). Answers are written in the language being served, so a streamed
    download in Welsh must keep its request's context (``flask.stream_with_context``)."""
    channels = channels or channel_names()
    widths = [1 + len(get_type(a.question.type).extra_columns(a.question)) for a in asked]
    column = {a.question.id: i for i, a in enumerate(asked)}
    start = [sum(widths[:i]) for i in range(len(asked))]
    groups = group_names(asked)
    after = 0
    while True:
        people = session.exec(filters.apply(
            select(Respondent).where(Respondent.consultation_id == consultation.id,
                                     Respondent.id > after)).order_by(Respondent.id).limit(BATCH)).all()
        if not people:
            return
        answers: dict[int, list] = {p.id: [""] * sum(widths) for p in people}
        stored = session.exec(
            select(Answer.respondent_id, Answer.question_id, Answer.value, Answer.text_redacted)
            .where(Answer.respondent_id.in_(list(answers)), Answer.question_id.in_(list(column)))).all()
        for as_written in (False, True):  # once in the reader's language, once in English
            with in_english() if as_written else nullcontext():
                for respondent_id, question_id, value, text in stored:
                    a = asked[column[question_id]]
                    if a.as_written == as_written:
                        at = start[column[question_id]]
                        answers[respondent_id][at:at + widths[column[question_id]]] = [
                            "" if cell is None else cell
                            for cell in get_type(a.question.type).cells(a.question, value, text)]
        for p in people:
            yield [p.id, channels.get(p.channel, p.channel), groups.get(p.segment, p.segment or ""), p.locale,
                   _when(p.started_at), _when(p.submitted_at)] + answers[p.id]
        after = people[-1].id


def _when(moment):
    """A time to the minute (a date and time in a workbook, written out in a CSV), or None."""
    return moment.replace(second=0, microsecond=0) if moment else None
