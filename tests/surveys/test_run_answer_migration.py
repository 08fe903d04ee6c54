"""Migration 0028 moves the answers a run has seen out of its metrics into rows, and back."""

import json

from alembic import command
from sqlalchemy import JSON, bindparam, create_engine, text
from sqlmodel import Session, select

from surveys import migrate
from surveys.models import AnalysisRun, RunAnswer, ThemeEdit
from surveys.theme_edits import undo_last
from surveys.theme_runs import seen

from ..factories import demo_consultation


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_seen_answers_become_rows_and_an_updates_undo_still_forgets_what_it_saw(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        consultation_id = demo_consultation(s).id
        s.commit()
    engine.dispose()
    command.downgrade(migrate.alembic_config(db_url), "0027")
    engine = create_engine(db_url)
    put = bindparam("m", type_=JSON)
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO analysis_run (consultation_id, question_ids, params, status, step, "
                          "progress, metrics, created_at) VALUES (:c, '[]', '{}', 'done', '', 1, :m, "
                          "CURRENT_TIMESTAMP)").bindparams(put),
                     {"c": consultation_id,
                      "m": {"answers": 5, "placed": 4, "answer_ids": [11, 12, 13, 14, 15]}})
        run_id = conn.execute(text("SELECT max(id) FROM analysis_run")).scalar_one()
        # An update saw 14 and 15 first: its log kept the list as it was before.
        conn.execute(text("INSERT INTO theme_edit (run_id, action, before, created, created_at) VALUES "
                          "(:r, 'update', :b, :c, CURRENT_TIMESTAMP)")
                     .bindparams(bindparam("b", type_=JSON), bindparam("c", type_=JSON)),
                     {"r": run_id,
                      "b": {"run_metrics": {"answers": 3, "placed": 3, "answer_ids": [11, 12, 13]}},
                      "c": {"themes": [], "assignments": []}})
        conn.commit()
    engine.dispose()

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with Session(engine) as s:
        run = s.get(AnalysisRun, run_id)
        assert seen(s, run) == {11, 12, 13, 14, 15}
        assert run.metrics == {"answers": 5, "placed": 4}
        edit = s.exec(select(ThemeEdit).where(ThemeEdit.run_id == run_id)).one()
        assert edit.created["seen"] == [14, 15]
        assert edit.before["run_metrics"] == {"answers": 3, "placed": 3}
        undo_last(s, run)
        s.commit()
        assert seen(s, run) == {11, 12, 13}
        assert s.get(AnalysisRun, run_id).metrics == {"answers": 3, "placed": 3}
        # Seen again, as the update had it, for the way down.
        s.add_all(RunAnswer(run_id=run_id, answer_id=a) for a in (14, 15))
        s.add(ThemeEdit(run_id=run_id, action="update", before={"run_metrics": {"answers": 3}},
                        created={"themes": [], "assignments": [], "seen": [14, 15]}))
        s.commit()
    engine.dispose()

    command.downgrade(migrate.alembic_config(db_url), "0027")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        metrics = _json(conn.execute(text("SELECT metrics FROM analysis_run WHERE id = :r"),
                                     {"r": run_id}).scalar_one())
        assert metrics["answer_ids"] == [11, 12, 13, 14, 15]
        before, created = conn.execute(text("SELECT before, created FROM theme_edit WHERE run_id = :r"),
                                       {"r": run_id}).one()
        assert _json(before)["run_metrics"]["answer_ids"] == [11, 12, 13]
        assert "seen" not in _json(created)
    engine.dispose()
    migrate.upgrade(db_url)
