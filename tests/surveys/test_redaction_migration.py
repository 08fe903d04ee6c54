"""Migration 0025 redacts stored answers again with this release's rules: an answer saved when
"my daughter Sarah" was not caught is read and exported redacted after the upgrade."""

from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys import migrate
from surveys.models import Answer

from ..factories import demo_consultation

OLD = "My daughter Sarah waited, NI number QQ 12 34 56 C"


def test_answers_stored_before_are_redacted_with_the_new_rules(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        add_sample_responses(s, demo_consultation(s), 5)
        s.commit()
        written = s.exec(select(Answer).where(Answer.text.is_not(None))).all()
        first, second = written[0].id, written[1].id
        kept = written[1].text_redacted
    engine.dispose()

    command.downgrade(migrate.alembic_config(db_url), "0024")
    engine = create_engine(db_url)
    with engine.begin() as conn:  # as 0024's redaction left it: the words as written
        conn.execute(text("UPDATE answer SET text = :t, text_redacted = :t WHERE id = :id"),
                     {"t": OLD, "id": first})
    engine.dispose()

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with Session(engine) as s:
        assert s.get(Answer, first).text_redacted == \
            "My daughter [name] waited, NI number [National Insurance number]"
        assert s.get(Answer, first).text == OLD  # the words as written stay, for the person only
        assert s.get(Answer, second).text_redacted == kept
    engine.dispose()
