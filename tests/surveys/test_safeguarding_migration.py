"""Migration 0034 checks stored answers again with this release's safeguarding patterns: an answer
saved when "I can't go on" was not caught waits for the named lead after the upgrade, on their
page, as a new one would; other answers and flags stay as they were."""

from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from engage.sample_responses import add_sample_responses
from surveys import migrate
from surveys.models import Answer

from ..engage.auth.conftest import sign_in
from ..factories import demo_consultation, user


def test_a_plain_disclosure_stored_before_reaches_the_lead_after_the_upgrade(app, db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        add_sample_responses(s, demo_consultation(s), 5)
        s.commit()
        written = s.exec(select(Answer).where(Answer.text.is_not(None))).all()
        first, second = written[0].id, written[1].id
        before = {a.id: a.safeguarding for a in written}
    engine.dispose()

    command.downgrade(migrate.alembic_config(db_url), "0033")
    engine = create_engine(db_url)
    with engine.begin() as conn:  # as the older check left it: saved, not flagged
        conn.execute(text("UPDATE answer SET text = :t, text_redacted = :t, safeguarding = :f "
                          "WHERE id = :id"), {"t": "I can't go on.", "f": False, "id": first})
    engine.dispose()

    migrate.upgrade(db_url)
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    with Session(app.extensions["engage.db"]) as s:
        user(s, "lead@example.nhs.uk", "viewer")
        after = {a.id: a.safeguarding for a in s.exec(select(Answer).where(Answer.text.is_not(None))).all()}
    assert after[first] is True
    assert {k: v for k, v in after.items() if k != first} == {k: v for k, v in before.items() if k != first}
    assert after[second] == before[second]
    lead = app.test_client()
    sign_in(lead, "lead@example.nhs.uk")
    html = lead.get("/manage/safeguarding").get_data(as_text=True)
    assert "I can&#39;t go on." in html or "I can't go on." in html
