"""Each person's group, kept in step wherever it is stored.

A person's group is their answer to the segment question (see ``groups``). It is kept on the
person (``Respondent.segment``) and on every one of their answers (``Answer.segment``), so the
question summaries count each question's answers by group from one index, with no look-up of each
person. These two functions are the only places a stored group changes: a person's segment answer
(``regroup_respondent``, called by ``responses.save_answer``, which every way of answering uses)
and the builder changing which question is the segment question (``regroup_consultation``).
Deleting people deletes their answers with them, so nothing is left to keep in step.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import update
from sqlmodel import Session, select

from . import theme_tally
from .models import AnalysisRun, Answer, Question, Respondent


def regroup_respondent(session: Session, respondent: Respondent, segment) -> None:
    """Put ``respondent`` in the group ``segment`` (their segment answer's key; None for none),
    their answers already saved with them, whether written yet or still waiting in the session."""
    if respondent.segment == segment:
        return
    respondent.segment = segment
    session.add(respondent)
    # Flushes first (autoflush), then brings the answers held in this session into line too.
    session.exec(update(Answer).where(Answer.respondent_id == respondent.id).values(segment=segment)
                 .execution_options(synchronize_session="fetch"))


def regroup_consultation(session: Session, consultation_id: int) -> None:
    """Every person's group again from the consultation's segment question as it now is (another
    question, or none): the builder calls this when that changes. Only a draft's structure
    changes, so there are few people, if any (a response can be added to a draft by hand)."""
    session.flush()
    question = session.exec(select(Question).where(Question.consultation_id == consultation_id,
                                                   Question.is_segment)).first()
    given = {}
    if question is not None:
        given = dict(session.exec(select(Answer.respondent_id, Answer.value)
                                  .where(Answer.question_id == question.id)).all())
    moves = defaultdict(list)
    for rid, current in session.exec(select(Respondent.id, Respondent.segment)
                                     .where(Respondent.consultation_id == consultation_id)).all():
        wanted = given.get(rid)
        if wanted != current:
            moves[wanted].append(rid)
    if moves:  # (a run of a draft's answers counted them by group)
        runs = select(AnalysisRun.id).where(AnalysisRun.consultation_id == consultation_id)
        for run_id in session.exec(runs).all():
            theme_tally.forget_run(session, run_id)
    for segment, ids in moves.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            session.exec(update(Respondent).where(Respondent.id.in_(chunk)).values(segment=segment)
                         .execution_options(synchronize_session="fetch"))
            session.exec(update(Answer).where(Answer.respondent_id.in_(chunk)).values(segment=segment)
                         .execution_options(synchronize_session="fetch"))
