"""Every workspace route refuses an anonymous visitor (sign in), a facilitator without access
(403) and a viewer (403 for anything that changes), and a refused request changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlmodel import func, select

from surveys.definitions import export_definition
from surveys.models import AuditEvent, Consultation, ConsultationAccess, Page, Question, User

from ...factories import demo_consultation
from ..auth.conftest import sign_in
from .fill import fill

C = "/manage/c/technology-in-the-nhs"
QUESTION = {"key": "new-q", "prompt": "New?", "cfg_options": "a | A"}

READ = [("GET", f"{C}/", None), ("GET", f"{C}/responses", None),
        ("GET", f"{C}/responses/questions/about-you", None), ("GET", f"{C}/responses/text", None),
        ("GET", f"{C}/responses/r/1", None), ("GET", f"{C}/preview/about-you", None),
        ("GET", f"{C}/export.yaml", None), ("GET", f"{C}/export.json", None)]
#: Making a new consultation: any facilitator may; a viewer may not.
CREATE = [
    ("GET", "/manage/new", None), ("POST", "/manage/new", {"slug": "x", "title": "X", "retention_days": 1,
                                                            "min_group_size": 1}),
    ("GET", "/manage/import", None),
    ("POST", "/manage/import", {"file": (b"slug: y\ntitle: Y\npages: []\n", "y.yaml")})]
CHANGE = [
    ("GET", f"{C}/settings", None), ("POST", f"{C}/settings", {"title": "Hacked", "retention_days": 1,
                                                                "min_group_size": 1}),
    ("POST", f"{C}/status", {"status": "closed"}),
    ("GET", f"{C}/pages/new", None),
    ("POST", f"{C}/pages/new", {"key": "p", "kind": "briefing", "title": "P"}),
    ("GET", f"{C}/pages/about-you/edit", None), ("POST", f"{C}/pages/about-you/edit", {"title": "Hacked"}),
    ("GET", f"{C}/pages/about-you/delete", None), ("POST", f"{C}/pages/about-you/delete", {}),
    ("POST", f"{C}/pages/about-you/move", {"direction": "down"}),
    ("GET", f"{C}/pages/about-you/questions/new?type=choice", None),
    ("POST", f"{C}/pages/about-you/questions/new?type=choice", QUESTION),
    ("GET", f"{C}/questions/age-band/edit", None),
    ("POST", f"{C}/questions/age-band/edit", {"prompt": "Hacked", "cfg_options": "a | A"}),
    ("GET", f"{C}/questions/age-band/delete", None), ("POST", f"{C}/questions/age-band/delete", {}),
    ("POST", f"{C}/questions/age-band/move", {"direction": "up"}),
]
ADMIN = [("GET", "/manage/admin/users", None), ("GET", "/manage/admin/audit", None),
         ("GET", "/manage/admin/users/new", None),
         ("POST", "/manage/admin/users/new", {"email": "z@example.nhs.uk", "role": "admin",
                                              "password": "long enough password"}),
         ("GET", "/manage/admin/users/1", None),
         ("POST", "/manage/admin/users/1", {"role": "viewer", "active": "y"}),
         ("POST", "/manage/admin/users/1/password", {"password": "long enough password"})]


def fingerprint(session) -> tuple:
    session.expire_all()
    counts = tuple(session.exec(select(func.count()).select_from(m)).one()
                   for m in (Consultation, Page, Question, AuditEvent, User, ConsultationAccess))
    c = session.exec(select(Consultation).where(Consultation.slug == "technology-in-the-nhs")).one()
    users = tuple(session.exec(select(User.role, User.password_hash, User.active).order_by(User.id)).all())
    return counts, c.status, c.version, c.title, users, str(export_definition(session, c))


def call(client, method, path, data):
    if method == "GET":
        return client.get(path)
    if data and "file" in data:
        content, name = data["file"]
        return client.post(path, data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    return client.post(path, data=data or {})


@pytest.fixture
def world(session, staff):
    admin = staff("admin@example.nhs.uk", "admin")  # user 1: the target of the admin routes
    consultation = demo_consultation(session, status="draft")
    fill(session, consultation, 3, batch=3)
    return admin, consultation


@pytest.mark.parametrize("who", ["anonymous", "viewer", "facilitator without access"])
def test_refused_and_nothing_changes(who, client, session, staff, world):
    _, consultation = world
    if who == "viewer":
        sign_in(client, staff("viewer@example.nhs.uk", "viewer", [consultation]).email)
    elif who != "anonymous":
        other = demo_consultation(session, status="draft", slug="another")
        sign_in(client, staff("fac@example.nhs.uk", "facilitator", [other]).email)
    before = fingerprint(session)
    refused = CHANGE + ADMIN + ([] if who == "viewer" else READ) + ([] if who.startswith("fac") else CREATE)
    for method, path, data in refused:
        r = call(client, method, path, data)
        if who == "anonymous":
            assert r.status_code == 302, (method, path)
            assert r.headers["Location"].startswith("/account/sign-in"), (method, path)
        else:
            assert r.status_code == 403, (method, path, r.status_code)
        assert fingerprint(session) == before, (method, path)
    if who == "viewer":
        # Read-only: the viewer sees what they were given, and no edit controls.
        for method, path, data in READ:
            assert call(client, method, path, data).status_code == 200, path
        html = client.get(f"{C}/").get_data(as_text=True)
        assert "/edit" not in html and "Add a page" not in html and "/settings" not in html


def test_facilitator_with_access_can_change_and_admin_sees_audit(client, session, staff, world):
    admin, consultation = world
    fac = staff("fac@example.nhs.uk", "facilitator", [consultation])
    sign_in(client, fac.email)
    r = client.post(f"{C}/settings", data={"title": "Better title", "retention_days": 30,
                                           "min_group_size": 5})
    assert r.status_code == 302
    assert client.get(f"{C}/export.json").status_code == 200
    # Only the consultations given are listed.
    demo_consultation(session, status="draft", slug="not-yours")
    html = client.get("/manage/").get_data(as_text=True)
    assert "Better title" in html and "/manage/c/not-yours/" not in html
    client.post("/account/sign-out", data={})
    sign_in(client, admin.email)
    html = client.get("/manage/admin/audit?action=consultation.").get_data(as_text=True)
    assert "consultation.settings" in html and "consultation.export" in html and fac.email in html
    assert "user.sign_in" not in html
    assert "Better title" in client.get("/manage/").get_data(as_text=True)
    assert "/manage/c/not-yours/" in client.get("/manage/").get_data(as_text=True)  # admin sees all
