"""Once a consultation has opened, people have been told how long their answers are kept: the
period may stay the same or get shorter, never longer."""

from __future__ import annotations

import re

from sqlmodel import select

from surveys.models import AuditEvent, Consultation

from .test_builder import _small

REFUSED = ("People have been told their answers are kept for 365 days after closing, so the period "
           "cannot be made longer now. Keep it the same or make it shorter")
REFUSED_CY = ("Mae pobl wedi cael gwybod bod eu hatebion yn cael eu cadw am 365 diwrnod ar ôl cau, felly "
              "ni ellir gwneud y cyfnod yn hirach nawr. Cadwch ef yr un fath neu gwnewch ef yn fyrrach")


def _settings(**values) -> dict:
    data = {"title": "Small", "summary": "", "audience": "", "consent_text": "", "retention_days": 365,
            "min_group_size": 5}
    return {**data, **values}


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _stored(session) -> Consultation:
    session.expire_all()
    return session.exec(select(Consultation).where(Consultation.slug == "small")).one()


def test_a_draft_may_keep_answers_for_longer(facilitator_client, session):
    _small(facilitator_client)
    r = facilitator_client.post("/manage/c/small/settings", data=_settings(retention_days=730))
    assert r.status_code == 302 and _stored(session).retention_days == 730


def test_once_open_the_period_may_not_grow_and_nothing_is_saved(facilitator_client, session):
    client = facilitator_client
    _small(client)
    assert client.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    for status in ("open", "closed"):
        if status == "closed":
            assert client.post("/manage/c/small/status", data={"status": "closed"}).status_code == 302
        r = client.post("/manage/c/small/settings", data=_settings(title="Renamed", retention_days=3650))
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and REFUSED in _text(r)
        # Shown on the period's own field, not only in the summary.
        field = html[html.find('id="retention_days-error"'):][:600]
        assert "cannot be made longer now" in " ".join(field.split()), field
        stored = _stored(session)
        assert (stored.retention_days, stored.title) == (365, "Small")
        fixes = select(AuditEvent).where(AuditEvent.action == "consultation.wording_fix")
        assert not session.exec(fixes).all()
    # The same period, or a shorter one, is fine.
    assert client.post("/manage/c/small/settings", data=_settings(title="Renamed")).status_code == 302
    assert _stored(session).title == "Renamed"
    r = client.post("/manage/c/small/settings", data=_settings(title="Renamed", retention_days=90))
    assert r.status_code == 302 and _stored(session).retention_days == 90
    r = client.post("/manage/c/small/settings", data=_settings(title="Renamed", retention_days=91))
    assert r.status_code == 400 and "kept for 90 days after closing" in _text(r)


def test_the_refusal_is_in_welsh_for_welsh_staff(facilitator_client, session):
    client = facilitator_client
    _small(client)
    assert client.post("/manage/c/small/status", data={"status": "open"}).status_code == 302
    client.get("/?lang=cy")
    r = client.post("/manage/c/small/settings", data=_settings(retention_days=3650))
    assert r.status_code == 400 and REFUSED_CY in _text(r)
    assert _stored(session).retention_days == 365
