"""Migration 0021 gives every answer its person's group, and goes back down."""

from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys import migrate
from surveys.models import Answer, Respondent

from ..factories import demo_consultation


def test_answers_get_their_persons_group_on_the_way_up(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        consultation = demo_consultation(s)
        add_sample_responses(s, consultation, 12)
        s.commit()
        people = dict(s.exec(select(Respondent.id, Respondent.segment)).all())
    engine.dispose()
    assert len(set(people.values())) > 1

    command.downgrade(migrate.alembic_config(db_url), "0020")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM answer LIMIT 1")).keys()
        assert "segment" not in columns
        # Someone whose group was said before 0021 and no answer holds it yet.
        conn.execute(text("UPDATE respondent SET segment = 'carer' WHERE id = :id"), {"id": min(people)})
        conn.commit()
    engine.dispose()
    people[min(people)] = "carer"

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with Session(engine) as s:
        rows = s.exec(select(Answer.respondent_id, Answer.segment)).all()
        assert rows and all(segment == people[rid] for rid, segment in rows)
    engine.dispose()
