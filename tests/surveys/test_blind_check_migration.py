"""Migration 0031 drops the blind check's kept copy from runs and from the edit log."""

import json

from alembic import command
from sqlalchemy import JSON, bindparam, create_engine, text
from sqlmodel import Session

from surveys import migrate

from ..factories import demo_consultation


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_the_kept_agreement_goes_from_runs_and_the_edit_log(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        consultation_id = demo_consultation(s).id
        s.commit()
    engine.dispose()
    command.downgrade(migrate.alembic_config(db_url), "0030")
    engine = create_engine(db_url)
    kept = {"kappa": 0.72, "agreement": 0.8, "n": 40}
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO analysis_run (consultation_id, question_ids, params, status, step, "
                          "progress, metrics, created_at) VALUES (:c, '[]', '{}', 'done', '', 1, :m, "
                          "CURRENT_TIMESTAMP)").bindparams(bindparam("m", type_=JSON)),
                     {"c": consultation_id, "m": {"answers": 5, "placed": 4, "evaluation": kept}})
        run_id = conn.execute(text("SELECT max(id) FROM analysis_run")).scalar_one()
        conn.execute(text("INSERT INTO theme_edit (run_id, action, before, created, created_at) VALUES "
                          "(:r, 'update', :b, :c, CURRENT_TIMESTAMP)")
                     .bindparams(bindparam("b", type_=JSON), bindparam("c", type_=JSON)),
                     {"r": run_id, "b": {"run_metrics": {"answers": 3, "placed": 3, "evaluation": kept}},
                      "c": {"themes": [], "assignments": []}})
        conn.commit()
    engine.dispose()
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        metrics = _json(conn.execute(text("SELECT metrics FROM analysis_run WHERE id = :r"),
                                     {"r": run_id}).scalar_one())
        before = _json(conn.execute(text("SELECT before FROM theme_edit WHERE run_id = :r"),
                                    {"r": run_id}).scalar_one())
    engine.dispose()
    assert metrics == {"answers": 5, "placed": 4}
    assert before == {"run_metrics": {"answers": 3, "placed": 3}}
