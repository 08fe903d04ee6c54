"""The closed-question summaries count from ix_answer_value alone (on SQLite and PostgreSQL alike),
each answer carrying its person's group, and count exactly what the answers say, group by group."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlmodel import select

from surveys import summaries
from surveys.builder import questions_of
from surveys.models import Answer, Respondent
from surveys.segments import regroup_respondent
from surveys.types import get_type

from ...factories import demo_consultation
from ...query_plans import query_plan, statements_run
from .fill import fill

SEGMENTS = ["patient", "carer", "public", "staff"]


@pytest.fixture
def consultation(session):
    consultation = demo_consultation(session)
    fill(session, consultation, 40, seed=5, batch=20)
    return consultation


def grouped_questions(session, consultation):
    """Questions whose answers are grouped by stored value (not summed per option, not free text)."""
    return [q for q in questions_of(session, consultation)
            if get_type(q.type).summarised and get_type(q.type).summed_keys(q) is None]


def counted_in_python(session, question_ids) -> Counter:
    rows = session.exec(select(Answer.question_id, Respondent.segment, Answer.value)
                        .join(Respondent, Respondent.id == Answer.respondent_id)
                        .where(Answer.question_id.in_(question_ids), Answer.value.is_not(None))).all()
    return Counter((qid, seg, json.dumps(value)) for qid, seg, value in rows)


def counted_in_sql(session, question_ids, segments) -> Counter:
    out = Counter()
    for qid, seg, raw, n in summaries._value_counts(session, question_ids, segments, summaries.Filters()):
        out[qid, seg, json.dumps(json.loads(raw))] += n
    return out


def test_value_counts_match_the_answers_with_unset_and_unlisted_segments(session, consultation):
    ids = [q.id for q in grouped_questions(session, consultation)]
    # Someone who has not said yet, and someone in a group that is no longer an option.
    first, second = session.exec(select(Respondent).order_by(Respondent.id).limit(2)).all()
    regroup_respondent(session, first, None)
    session.flush()
    expected = counted_in_python(session, ids)
    assert any(seg is None for _, seg, _ in expected)
    assert counted_in_sql(session, ids, SEGMENTS) == expected
    regroup_respondent(session, second, "retired")
    session.flush()
    assert counted_in_sql(session, ids, SEGMENTS) == counted_in_python(session, ids)
    everyone = Counter()
    for (qid, _, value), n in counted_in_python(session, ids).items():
        everyone[qid, None, value] += n
    assert counted_in_sql(session, ids, []) == everyone


def test_summaries_read_the_value_index(session, consultation):
    """Each summary query groups by exactly the indexed columns and expression, in the index's
    order, so the planner counts (and sums shared amounts) from ix_answer_value alone, with no
    sort and no look-up of a person: SQLite calls it covering. PostgreSQL is told to avoid
    scanning the table and hashing, which a few rows favour, and is asked about one question at a
    time (it reads several ids from an index unordered)."""
    questions = grouped_questions(session, consultation)
    with statements_run(session, keep=lambda statement: "GROUP BY" in statement) as statements:
        for q in questions:
            summaries.question_summaries(session, [q], SEGMENTS, summaries.Filters())
            summaries.question_summaries(session, [q], [], summaries.Filters())
        if session.connection().dialect.name == "sqlite":
            summaries.question_summaries(session, questions, SEGMENTS, summaries.Filters())
    assert len(statements) >= 2 * len(questions)
    conn = session.connection()
    conn.exec_driver_sql("ANALYZE")
    for statement, parameters in statements:
        plan = query_plan(conn, statement, parameters, avoid=("seqscan", "bitmapscan", "hashagg"))
        assert "respondent" not in statement, statement
        if conn.dialect.name == "sqlite":
            assert "USING COVERING INDEX ix_answer_value" in plan and "TEMP B-TREE" not in plan, plan
        else:
            assert "ix_answer_value" in plan and "Sort" not in plan, plan


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a SQLite query plan
def test_before_and_after_pair_each_persons_answers_from_one_index(session, consultation):
    """Before/after pairs each person's two answers from ix_answer_question_person alone (question,
    person, value): no read of the answer rows, whose look-ups were most of the page at 250,000
    people. Not through ix_answer_value in order of value, where a person's two answers sit far
    apart (as a cast to TEXT would invite). SQLite only: on a few rows PostgreSQL rightly prefers
    reading the rows (none is yet marked all-visible); at 250,000 people it pairs them from this
    index (benchmarks.responses, 0.9 s -> 0.18 s)."""
    repeat = next(q for q in questions_of(session, consultation) if q.repeat_of_id)
    with statements_run(session) as statements:
        summaries.opinion_change(session, repeat, summaries.Filters())
    conn = session.connection()
    conn.exec_driver_sql("ANALYZE")
    (statement, parameters), = statements
    plan = query_plan(conn, statement, parameters)
    assert "ix_answer_value" not in plan, plan
    assert plan.count("USING COVERING INDEX ix_answer_question_person") == 2, plan
