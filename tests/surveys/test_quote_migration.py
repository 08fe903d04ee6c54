"""Migration 0010 turns copied quote text into references to the quoted answers, and back."""

import json

from alembic import command
from sqlalchemy import JSON, bindparam, create_engine, text
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys import migrate
from surveys.models import AnalysisRun, Answer, Theme, ThemeAssignment

from ..factories import demo_consultation


def test_quotes_become_answer_ids_and_go_back_to_text(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 12)
        answers = s.exec(select(Answer).where(Answer.text_redacted.is_not(None)).order_by(Answer.id)).all()
        run = AnalysisRun(consultation_id=consultation.id, question_ids=[], status="done")
        s.add(run)
        s.flush()
        theme = Theme(run_id=run.id, label="Waiting", quote_ids=[answers[2].id, answers[0].id])
        s.add(theme)
        s.flush()
        s.add_all(ThemeAssignment(run_id=run.id, theme_id=theme.id, answer_id=a.id) for a in answers[:4])
        s.commit()
        words = [answers[2].text_redacted, answers[0].text_redacted]
        # Copied text names the first of the theme's answers that says it (sample answers repeat).
        theme_id = theme.id
        expected = [min(a.id for a in answers[:4] if a.text_redacted == w) for w in words]
    engine.dispose()

    # Before 0011 a theme held copies of the words; one whose answer has gone is dropped on the way up.
    command.downgrade(migrate.alembic_config(db_url), "0010")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        quotes = conn.execute(text("SELECT quotes FROM theme WHERE id = :id"), {"id": theme_id}).scalar_one()
        quotes = json.loads(quotes) if isinstance(quotes, str) else quotes
        assert quotes == words
        update = text("UPDATE theme SET quotes = :q WHERE id = :id").bindparams(bindparam("q", type_=JSON))
        conn.execute(update,
                     {"q": [*quotes, "Words of someone who withdrew"], "id": theme_id})
        conn.commit()
    engine.dispose()

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with Session(engine) as s:
        assert s.get(Theme, theme_id).quote_ids == expected
    engine.dispose()
