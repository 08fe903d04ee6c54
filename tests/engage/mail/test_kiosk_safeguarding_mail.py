"""A disclosure sent from a workshop tablet tells the safeguarding leads by email, as one sent
from a person's own phone does, on both databases."""

from ...factories import demo_consultation
from ...smtp import smtp_server, use_mail_server  # noqa: F401  (fixture)
from ..workshop.helpers import all_answers, make_workshop, post_response


def test_a_disclosure_from_a_tablet_tells_the_leads(app, client, session, smtp_server):  # noqa: F811
    use_mail_server(app, smtp_server)
    app.config["SAFEGUARDING_LEADS"] = frozenset({"lead@example.nhs.uk"})
    workshop = make_workshop(session, demo_consultation(session))
    answers = all_answers()
    answers["q-fix-one-thing"] = "My carer hit me and I am frightened at home"
    assert post_response(client, app, workshop, answers=answers).status_code == 201
    [message] = smtp_server.to("lead@example.nhs.uk")
    assert "may show that someone is at risk" in message["body"] and "frightened" not in message["body"]
