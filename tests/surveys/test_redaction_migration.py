"""Migrations 0025, 0026, 0030, 0032 and 0033 redact stored answers again with this release's rules:
an answer saved when "my daughter Sarah" (0025), "I'm Fatima Begum" (0026), "Rachel was kind"
(0030), "Dr A Patel" (0032) or "john dot smith at gmail dot com" (0033) was not caught is read
and exported redacted after the upgrade."""

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys import migrate
from surveys.models import Answer

from ..factories import demo_consultation


@pytest.mark.parametrize(("before", "old", "expected"), [
    ("0024", "My daughter Sarah waited, NI number QQ 12 34 56 C",
     "My daughter [name] waited, NI number [National Insurance number]"),
    ("0025", "I'm Fatima Begum and waited. Thanks, Sarah", "I'm [name] and waited. Thanks, [name]"),
    ("0029", "Rachel was kind on Rowan 1", "[name] was kind on Rowan 1"),
    ("0031", "Dr A Patel and Nurse Practitioner Okonkwo; dyddiad geni: 01/02/1980",
     "Dr [name] and Nurse Practitioner [name]; dyddiad geni: [date of birth]"),
    ("0032", "email john dot smith at gmail dot com or ring Jane Smith 07700 900123",
     "email [email] or ring [name] [phone number]"),
])
def test_answers_stored_before_are_redacted_with_the_new_rules(db_url, before, old, expected):
    engine = create_engine(db_url)
    with Session(engine) as s:
        add_sample_responses(s, demo_consultation(s), 5)
        s.commit()
        written = s.exec(select(Answer).where(Answer.text.is_not(None))).all()
        first, second = written[0].id, written[1].id
        kept = written[1].text_redacted
    engine.dispose()

    command.downgrade(migrate.alembic_config(db_url), before)
    engine = create_engine(db_url)
    with engine.begin() as conn:  # as the older redaction left it: the words as written
        conn.execute(text("UPDATE answer SET text = :t, text_redacted = :t WHERE id = :id"),
                     {"t": old, "id": first})
    engine.dispose()

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with Session(engine) as s:
        assert s.get(Answer, first).text_redacted == expected
        assert s.get(Answer, first).text == old  # the words as written stay, for the person only
        assert s.get(Answer, second).text_redacted == kept
    engine.dispose()
