"""Who may see and do what, beyond the route × role table of ``tests/engage/test_routes.py``:
no consultation's words, numbers or objects reach someone without access to it (ids of one
consultation used under another's address included), unredacted disclosures reach only the
safeguarding leads, a session stops acting the moment its access, role or account is taken away,
and signing in tells no one which accounts exist, however slowly they guess."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from engage.sample_responses import add_sample_responses
from surveys import accounts as users
from surveys import theme_runs
from surveys.models import (
    AnalysisRun,
    Answer,
    EvaluationCode,
    PublicationVersion,
    Respondent,
    Theme,
    ThemeAssignment,
    User,
    Workshop,
)

from ...factories import PASSWORD, demo_consultation, user
from ...journey_helpers import DEMO_ANSWERS, complete
from ..workshop.helpers import make_workshop
from .conftest import sign_in

WRONG_PASSWORD = {"password": "not the password at all"}


def _pass_time(session, minutes: int) -> None:
    """As if ``minutes`` had passed, for the lockout's two stores: the account row and the
    shared counters."""
    session.exec(text("UPDATE rate_counter SET expires = expires - :s"), params={"s": minutes * 60})
    session.expire_all()
    for account in session.exec(select(User).where(User.locked_until.is_not(None))):
        account.locked_until -= timedelta(minutes=minutes)
        session.add(account)
    session.commit()


def _answer(client, email: str) -> tuple[int, str]:
    response = client.post("/account/sign-in", data={"email": email, **WRONG_PASSWORD})
    return (response.status_code,
            re.sub(r'nonce="[^"]*"', "", response.get_data(as_text=True)).replace(email, "EMAIL"))


def test_failures_spread_out_in_time_lock_a_real_account_and_an_unknown_one_alike(app, client, staff,
                                                                                   session):
    """An unknown email's failures were counted in a window from the first failure, a real
    account's for ever, and their locks ended at different times: one failure, a wait, then four
    more locked only the real account, so a slow guesser could tell which accounts exist."""
    staff("real@example.nhs.uk")
    most = app.config["LOGIN_MAX_ATTEMPTS"]
    emails = ("real@example.nhs.uk", "nobody@example.nhs.uk")
    seen = {email: [] for email in emails}

    def attempts(n: int) -> None:
        for email in emails:
            seen[email] += [_answer(client, email) for _ in range(n)]

    attempts(1)
    _pass_time(session, 16)  # longer than a lockout
    attempts(most - 1)  # one short of a lock, counting from after the wait
    _pass_time(session, 10)
    attempts(1)  # now locked, both
    _pass_time(session, 10)  # 20 minutes after the first of these failures, 10 after the lock
    attempts(1)  # still locked, both
    _pass_time(session, 6)  # the lock has ended
    attempts(1)
    real, unknown = seen.values()
    assert real == unknown
    assert [("locked" in page) for _, page in real] == [False] * most + [True, True, False]


def test_a_browser_left_signed_in_cannot_guess_its_password_on_the_change_password_page(app, client, staff,
                                                                                        session):
    """The change-password form checked the current password with no count and no lockout, so
    whoever found a browser signed in could guess the password there without limit (and then
    keep the account). Wrong guesses now count as failed sign-ins do, and lock the account."""
    u = staff("real@example.nhs.uk")
    sign_in(client, u.email)
    new = "a much longer new password 42"
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        r = client.post("/account/password",
                        data={"current": "a wrong guess here", "new": new, "confirm": new})
        assert r.status_code == 400
    assert "locked" in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert r.status_code == 400 and "locked" in r.get_data(as_text=True)
    session.expire_all()
    assert users.verify_password(session.get(User, u.id).password_hash, PASSWORD)
    r = app.test_client().post("/account/sign-in", data={"email": u.email, "password": PASSWORD})
    assert r.status_code == 400 and "locked" in r.get_data(as_text=True)


# --- Two consultations: nothing of one reaches someone given only the other -----------------

LEAD = "lead@example.nhs.uk"
#: A's words: its title, an answer only A has, and a disclosure whose name and number redaction hides.
A_TITLE, A_WORDS = "Aardvark consultation", "Aardvarkword"
DISCLOSURE = "My carer Mr Jones hit me again, please ring 07700 900456"
AS_WRITTEN = ("Mr Jones", "07700 900456")  # only a safeguarding lead reads these
EMAILS = {"facilitator of another": "outsider@example.nhs.uk", "facilitator": "fac@example.nhs.uk",
          "viewer": "viewer@example.nhs.uk", "admin": "admin@example.nhs.uk", "safeguarding lead": LEAD}
#: Routes of the staff side (the rest are the public's and the tablets').
STAFF = ("/manage", "/workshop/manage", "/workshop/room", "/account/password")
#: Arguments that name an object of one consultation by a number any consultation's objects share.
IDS = ("run_id", "theme_id", "number", "version", "workshop_id", "answer_id", "held_id")


@pytest.fixture
def two(app, session):
    """Consultation A (answers, a disclosure, a finished analysis, a workshop, a typed-in paper
    response) and consultation B (the same, without A's words); one account per role, the
    facilitator of another given only B."""
    app.config["JOBS_INLINE"] = True
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    a, b = demo_consultation(session), demo_consultation(session, slug="zebra")
    a.title = A_TITLE
    session.add(a)
    session.commit()
    for slug, said in ((a.slug, f"{DISCLOSURE}. {A_WORDS}"), (b.slug, "Being listened to")):
        answers = copy.deepcopy(DEMO_ANSWERS)
        answers["people-and-ai"]["q-what-matters-most"] = said
        complete(app.test_client(), slug=slug, answers=answers)
    for c in (a, b):
        add_sample_responses(session, c, 30)
    session.commit()
    user(session, EMAILS["facilitator of another"], "facilitator", (b,))
    user(session, EMAILS["facilitator"], "facilitator", (a,))
    user(session, EMAILS["viewer"], "viewer", (a,))
    user(session, EMAILS["admin"], "admin")
    user(session, LEAD, "viewer")
    for c, email in ((a, EMAILS["facilitator"]), (b, EMAILS["facilitator of another"])):
        client = signed_in(app, email)
        qids = [q.id for q in theme_runs.analysable_questions(session, c)]
        assert client.post(f"/manage/{c.slug}/themes/", data={"questions": qids}).status_code == 302
        make_workshop(session, c)
    session.expire_all()
    ids = {}
    for c in (a, b):
        run = session.exec(select(AnalysisRun).where(AnalysisRun.consultation_id == c.id)).one()
        assert run.status == "done", run.error
        ids[c.slug] = {
            "run_id": run.id,
            "theme_id": session.exec(select(Theme.id).where(Theme.run_id == run.id)).first(),
            "number": session.exec(select(Respondent.id).where(Respondent.consultation_id == c.id)).first(),
            "workshop_id": session.exec(select(Workshop.id).where(Workshop.consultation_id == c.id)).first(),
            "answer_id": session.exec(select(Answer.id).join(Respondent)
                                      .where(Respondent.consultation_id == c.id)).first(),
            "version": 1, "held_id": 1, "user_id": 1, "message_id": 1, "key": "about-you"}
        ids[c.slug]["code"] = session.get(Workshop, ids[c.slug]["workshop_id"]).join_code
    return a, b, ids


def signed_in(app, email: str):
    client = app.test_client()
    assert client.post("/account/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def staff_urls(app, slug: str, values: dict) -> list[tuple]:
    """(rule, path) of every staff GET route, filled with ``slug`` and ``values``; one path per
    download format."""
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith(STAFF):
            continue
        path = rule.rule
        for name in rule.arguments - {"fmt"}:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(slug if name == "slug" else values[name]), path)
        formats = ("yaml", "json", "csv", "xlsx") if "fmt" in rule.arguments else (None,)
        out += [(rule, path.replace("<fmt>", fmt) if fmt else path) for fmt in formats]
    return out


def words(response) -> str:
    """What a response says, downloads included (a Word or Excel file's parts unzipped)."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace") + response.headers.get("Location", "")


def test_no_page_or_download_gives_one_consultations_words_to_anyone_without_it(app, session, two):
    """Every staff page, JSON and download, as each role: A's words reach only those given A
    (admins too), the words of a disclosure as written only the safeguarding lead, on their page;
    and B's address with A's numbers in it (a run, a theme, a response, a workshop) finds nothing."""
    a, b, ids = two
    wrong = []
    for role, email in EMAILS.items():
        client = signed_in(app, email)
        tries = [(rule, path, False) for rule, path in staff_urls(app, a.slug, ids[a.slug])]
        if role == "facilitator of another":  # B's address, A's numbers
            tries += [(rule, path, True) for rule, path in staff_urls(app, b.slug, ids[a.slug])
                      if rule.arguments & set(IDS)]
        for rule, path, crossed in tries:
            if path.endswith(".pdf") and role in ("facilitator", "viewer", "admin"):
                continue  # compressed: the same report's words are read in its Word file
            response = client.get(path)
            said = words(response)
            if response.status_code >= 500:
                wrong.append(f"{role}: {path} -> {response.status_code}")
            lead_page = role == "safeguarding lead" and rule.endpoint == "facilitate.safeguarding_list"
            if any(w in said for w in AS_WRITTEN) and not lead_page:
                wrong.append(f"{role}: {path} shows a disclosure as written")
            if role in ("facilitator of another", "safeguarding lead") and not lead_page:
                if A_WORDS in said or A_TITLE in said:
                    wrong.append(f"{role}: {path} ({response.status_code}) shows consultation A's words")
            if crossed and response.status_code not in (403, 404):
                wrong.append(f"{role}: {path} -> {response.status_code}, B's address with A's numbers")
        if role == "safeguarding lead":
            assert all(w in words(client.get("/manage/safeguarding")) for w in AS_WRITTEN)
        if role == "facilitator":  # the checks can see A's words where they are
            report = words(client.get(f"/manage/{a.slug}/themes/{ids[a.slug]['run_id']}/answers.xlsx"))
            assert A_WORDS in report and "[name]" in report
    assert len(tries) > 50  # every staff page, JSON and download
    assert not wrong, "\n".join(wrong)


# --- A session stops acting the moment what it was given is taken away ----------------------

def _token(client, path: str) -> str:
    """The CSRF token of a form on ``path`` (a page this person may see)."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _signed_in_with_csrf(client, email: str):
    token = _token(client, "/account/sign-in")
    response = client.post("/account/sign-in",
                           data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return client


def test_an_open_session_loses_what_is_taken_from_it_at_once(app, session):
    """Forms are sent with a valid token from a page the person could see when they opened it;
    access withdrawn, a role lowered, an account turned off or a lead no longer named each stop
    the very next request."""
    app.config["WTF_CSRF_ENABLED"] = True
    app.config["SAFEGUARDING_LEADS"] = frozenset({LEAD})
    consultation = demo_consultation(session)
    fac = user(session, "fac@example.nhs.uk", "facilitator", (consultation,))
    user(session, "admin@example.nhs.uk", "admin")
    user(session, LEAD, "viewer")
    admin = _signed_in_with_csrf(app.test_client(), "admin@example.nhs.uk")
    facilitator = _signed_in_with_csrf(app.test_client(), fac.email)
    lead = _signed_in_with_csrf(app.test_client(), LEAD)
    settings = f"/manage/c/{consultation.slug}/settings"
    token = _token(facilitator, settings)
    form = {"title": "Changed", "retention_days": 30, "min_group_size": 5, "csrf_token": token}
    assert facilitator.post(settings, data=form).status_code == 302

    def admin_sets(role: str, active: bool, consultations: tuple = ()):
        page = f"/manage/admin/users/{fac.id}"
        data = {"role": role, "consultations": [str(c.id) for c in consultations],
                "consultations_shown": str(consultation.id),  # the form lists the one there is
                "csrf_token": _token(admin, page)}
        if active:
            data["active"] = "y"
        assert admin.post(page, data=data).status_code == 302

    admin_sets("facilitator", True)  # access withdrawn
    assert facilitator.post(settings, data={**form, "title": "Again"}).status_code == 403
    assert facilitator.get(f"/manage/c/{consultation.slug}/").status_code == 403
    assert facilitator.get(f"/manage/c/{consultation.slug}/responses/all.csv").status_code == 403
    admin_sets("viewer", True, (consultation,))  # given back, to read only
    assert facilitator.get(f"/manage/c/{consultation.slug}/").status_code == 200
    assert facilitator.post(settings, data={**form, "title": "Again"}).status_code == 403
    admin_sets("viewer", False, (consultation,))  # turned off
    response = facilitator.get(f"/manage/c/{consultation.slug}/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")
    session.expire_all()
    assert session.get(type(consultation), consultation.id).title == "Changed"

    assert lead.get("/manage/safeguarding").status_code == 200
    app.config["SAFEGUARDING_LEADS"] = frozenset()  # no longer named
    assert lead.get("/manage/safeguarding").status_code == 403


def test_numbers_of_one_consultation_sent_in_a_form_of_another_change_nothing(app, session, two):
    """The facilitator of B sends, in B's own forms, the numbers of A's answers and themes: moving
    A's answer, merging into or splitting by A's themes, coding B's blind check with A's theme,
    and quoting A's answers in B's "You said, we did". Each is refused and A is as it was."""
    a, b, ids = two
    run_a, run_b = ids[a.slug]["run_id"], ids[b.slug]["run_id"]
    themes_a = session.exec(select(Theme.id).where(Theme.run_id == run_a, Theme.parent_id.is_(None))).all()
    themes_b = session.exec(select(Theme.id).where(Theme.run_id == run_b, Theme.parent_id.is_(None))).all()
    answers_a = session.exec(select(ThemeAssignment.answer_id).where(ThemeAssignment.run_id == run_a)).all()

    def a_as_it_is():
        session.expire_all()
        return (session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                             .where(ThemeAssignment.run_id == run_a)
                             .order_by(ThemeAssignment.answer_id)).all(),
                session.exec(select(Theme.id, Theme.label, Theme.parent_id)
                             .where(Theme.run_id == run_a).order_by(Theme.id)).all())

    before = a_as_it_is()
    client = signed_in(app, EMAILS["facilitator of another"])
    board = f"/manage/{b.slug}/themes/{run_b}"
    assert client.post(f"{board}/check", data={"action": "start", "size": "20"}).status_code == 302
    code = session.exec(select(EvaluationCode.id).where(EvaluationCode.run_id == run_b)).first()
    theme = f"{board}/t/{themes_b[0]}"
    refused = [
        (theme, {"action": "move", "move-answer": answers_a[0], "move-target": themes_b[1]}),
        (theme, {"action": "move", "move-answer": answers_a[0], "move-target": themes_a[1]}),
        (theme, {"action": "merge", "merge-target": themes_a[1]}),
        (f"{theme}/split", {"sub": themes_a, "label": "Taken"}),
        (f"{board}/check", {"action": "code", "code": code, "theme": themes_a[0]}),
        (f"/manage/c/{b.slug}/publication/", {"run": run_a, "heard": "Heard", "will_do": "Will do",
                                              "quotes": answers_a[:3], "themes": themes_a[:2]}),
    ]
    for path, data in refused:
        response = client.post(path, data=data)
        assert response.status_code in (400, 404), (path, data, response.status_code)
        assert A_WORDS not in response.get_data(as_text=True)
    assert a_as_it_is() == before
    assert not session.exec(select(PublicationVersion)).all()
    # The same forms with B's own numbers are taken (so the refusals above were for the numbers).
    answer_b = session.exec(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.run_id == run_b, ThemeAssignment.theme_id == themes_b[0])).first()
    taken = [(theme, {"action": "move", "move-answer": answer_b, "move-target": themes_b[1]}),
             (f"{board}/check", {"action": "code", "code": code, "theme": themes_b[0]})]
    for path, data in taken:
        assert client.post(path, data=data).status_code == 302, (path, data)
