"""Rate limits and the lockout hold across workers and hosts: counted in the database (or Redis),
atomically, per real client address, on sign-in and on every anonymous endpoint that takes a
guess."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func
from sqlmodel import select

from engage import create_app
from engage.auth import throttle
from engage.auth.views import FAILURES
from surveys.models import AuditEvent, RateCounter, User

from ...factories import PASSWORD, demo_consultation
from ...servers import free_port
from ..workshop.helpers import PIN, make_workshop, post_response

WRONG = {"password": "not the password at all"}


@pytest.fixture
def worker(app):
    """Another worker (or host) of the same site: its own app and memory, the same database."""
    apps = []

    def make(**config):
        other = create_app({**{k: app.config[k] for k in ("DATABASE_URL", "SECRET_KEY", "SERVER_NAME")},
                            "TESTING": True, "WTF_CSRF_ENABLED": False, **config})
        apps.append(other)
        return other
    yield make
    for other in apps:
        other.extensions["engage.db"].dispose()


def limited(app, **limits):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], **limits}


def statuses(clients, path, n, **kwargs) -> list[int]:
    """``n`` requests, taking turns between the clients (as a load balancer would)."""
    method = kwargs.pop("method", "post")
    return [getattr(clients[i % len(clients)], method)(path, **kwargs).status_code for i in range(n)]


def test_sign_in_limit_is_shared_by_every_worker(app, client, staff, worker, session):
    u = staff()
    limited(app, sign_in=(6, 60))
    other = worker(RATELIMIT_ENABLED=True, RATE_LIMITS=app.config["RATE_LIMITS"])
    seen = statuses([client, other.test_client()], "/account/sign-in", 14,
                    data={"email": u.email, **WRONG})
    assert seen == [400] * 6 + [429] * 8
    assert session.exec(select(func.count()).select_from(RateCounter)).one() >= 1
    page = client.post("/account/sign-in", data={"email": u.email, "password": PASSWORD})
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "60"


def test_with_redis_the_limit_is_counted_there_and_shared(app, client, staff, worker, session,
                                                         redis_server):
    u = staff()
    app.config["REDIS_URL"] = redis_server.url
    limited(app, sign_in=(5, 60))
    other = worker(RATELIMIT_ENABLED=True, RATE_LIMITS=app.config["RATE_LIMITS"],
                   REDIS_URL=redis_server.url)
    # A client address of its own, so earlier tests' counts in this Redis do not matter.
    address = {"REMOTE_ADDR": f"10.9.{free_port() % 250}.{free_port() % 250}"}
    seen = statuses([client, other.test_client()], "/account/sign-in", 9,
                    data={"email": u.email, **WRONG}, environ_base=address)
    assert seen == [400] * 5 + [429] * 4
    assert session.exec(select(func.count()).select_from(RateCounter)).one() == 0


def test_with_redis_down_sign_in_works_and_the_database_counts(app, client, staff, session):
    u = staff()
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    limited(app, sign_in=(3, 60))
    assert client.post("/account/sign-in", data={"email": u.email, "password": PASSWORD}).status_code == 302
    assert statuses([client], "/account/sign-in", 3, data={"email": u.email, **WRONG}) == [400, 400, 429]
    assert session.exec(select(func.count()).select_from(RateCounter)).one() >= 1


def test_the_client_address_comes_from_the_trusted_proxies_only(app, staff, worker):
    u = staff()
    limits = {**app.config["RATE_LIMITS"], "sign_in": (2, 60)}
    direct = worker(RATELIMIT_ENABLED=True, RATE_LIMITS=limits).test_client()
    # No proxy trusted: a client cannot pick a fresh address per request.
    seen = [direct.post("/account/sign-in", data={"email": u.email, **WRONG},
                        headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(4)]
    assert seen == [400, 400, 429, 429]
    # Behind one proxy: each person's address counts separately (not everyone as the proxy's).
    proxied = worker(RATELIMIT_ENABLED=True, RATE_LIMITS=limits, TRUSTED_PROXIES=1).test_client()
    for person in ("198.51.100.7", "198.51.100.8"):
        seen = [proxied.post("/account/sign-in", data={"email": u.email, **WRONG},
                             headers={"X-Forwarded-For": f"1.2.3.4, {person}"}).status_code
                for _ in range(3)]
        assert seen == [400, 400, 429], person


def test_concurrent_wrong_passwords_are_all_counted(app, staff, session):
    u = staff()
    app.config["LOGIN_MAX_ATTEMPTS"] = 1000
    n = 12
    barrier = threading.Barrier(n)
    codes = []

    def attempt():
        client = app.test_client()
        barrier.wait()
        codes.append(client.post("/account/sign-in", data={"email": u.email, **WRONG}).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert codes == [400] * n
    with app.app_context():  # counted as an unknown address's are (engage.auth.views.FAILURES)
        assert throttle.hits(FAILURES, u.email) == n


def test_concurrent_wrong_passwords_lock_the_account_once(app, staff, session):
    from surveys.models import AuditEvent

    u = staff()
    n = app.config["LOGIN_MAX_ATTEMPTS"] * 2
    barrier = threading.Barrier(n)

    def attempt():
        client = app.test_client()
        barrier.wait()
        client.post("/account/sign-in", data={"email": u.email, **WRONG})

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    session.expire_all()
    assert session.get(User, u.id).locked_until is not None
    locks = session.exec(select(AuditEvent).where(AuditEvent.action == "user.locked")).all()
    assert len(locks) in (1, 2)  # at most once per LOGIN_MAX_ATTEMPTS failures


# --- Anonymous endpoints that take a guess --------------------------------------------------

@pytest.fixture
def demo(session):
    return demo_consultation(session)


def test_withdrawal_codes_are_limited(app, client, worker, demo):
    limited(app, withdraw=(3, 600))
    other = worker(RATELIMIT_ENABLED=True, RATE_LIMITS=app.config["RATE_LIMITS"]).test_client()
    seen = statuses([client, other], f"/c/{demo.slug}/withdraw", 5, data={"reference": "ABCD-EFG2"})
    assert seen == [400, 400, 400, 429, 429]


def test_resume_links_are_limited(app, client, demo):
    limited(app, resume=(3, 600))
    seen = statuses([client], f"/c/{demo.slug}/resume/not-a-real-token", 5, method="get")
    assert seen == [404, 404, 404, 429, 429]


def test_join_codes_are_limited(app, client, demo):
    limited(app, join=(3, 60))
    seen = statuses([client], "/workshop/?code=ZZZZZZ&table=1", 5, method="get")
    assert seen == [400, 400, 400, 429, 429]


def test_kiosk_answers_are_limited(app, client, session, demo):
    workshop = make_workshop(session, demo)
    limited(app, kiosk_submit=(2, 60))
    seen = [post_response(client, app, workshop).status_code for _ in range(3)]
    assert seen == [201, 201, 429]
    refused = post_response(client, app, workshop)
    assert refused.get_json()["status"] == "refused"


def test_kiosk_pin_guesses_are_limited_per_workshop_from_any_address(app, client, session, demo):
    from ..workshop.helpers import kiosk_token

    workshop = make_workshop(session, demo)
    limited(app, kiosk_exit=(4, 600))
    path = f"/workshop/k/{workshop.join_code}/1/exit"
    headers = {"X-Kiosk-Token": kiosk_token(app, workshop, 1)}
    seen = [client.post(path, json={"pin": f"{i:04d}"}, headers=headers,
                        environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}).status_code for i in range(6)]
    assert seen == [403] * 4 + [429] * 2
    right = client.post(path, json={"pin": PIN}, headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert right.status_code == 429


def test_a_stranger_who_used_up_the_pin_guesses_cannot_keep_the_facilitator_locked_out(app, session, demo):
    """Anyone with the join code can spend the workshop's wrong guesses. The facilitator sees the
    tablets are locked and sets a new PIN, which works at once; the old PIN's guesses stop counting."""
    from ...factories import user
    from ..workshop.helpers import kiosk_token, sign_in

    workshop = make_workshop(session, demo)
    limited(app, kiosk_exit=(3, 600))
    path = f"/workshop/k/{workshop.join_code}/1/exit"
    tablet, facilitator = app.test_client(), app.test_client()
    headers = {"X-Kiosk-Token": kiosk_token(app, workshop, 1)}
    for i in range(4):  # a stranger, from many addresses
        tablet.post(path, json={"pin": f"{i:04d}"}, headers=headers,
                    environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
    user(session, consultations=(demo,))
    sign_in(facilitator, "fac@example.nhs.uk")
    page = facilitator.get(f"/workshop/manage/w/{workshop.id}/").get_data(as_text=True)
    assert "Tablets cannot leave kiosk mode" in page
    refused = facilitator.post(f"/workshop/manage/w/{workshop.id}/pin",
                               data={"new-pin": "8642", "new-pin_again": "8640"})
    assert refused.status_code == 400 and "The two PINs are different" in refused.get_data(as_text=True)
    changed = facilitator.post(f"/workshop/manage/w/{workshop.id}/pin",
                               data={"new-pin": "8642", "new-pin_again": "8642"})
    assert changed.status_code == 302
    after = facilitator.get(changed.headers["Location"]).get_data(as_text=True)
    assert "Tablets cannot leave kiosk mode" not in after
    out = tablet.post(path, json={"pin": "8642"}, headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert out.status_code == 200 and out.get_json()["status"] == "ok"
    old = tablet.post(path, json={"pin": PIN}, headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.98"})
    assert old.status_code == 403  # the old PIN no longer works
    session.expire_all()
    assert session.exec(select(AuditEvent.action).where(AuditEvent.action == "workshop.pin_change")).all()
