"""Two tabs (or two people) editing one consultation: a builder form opened before the other's
save is refused, with nothing saved, instead of putting back what the other changed."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

from sqlmodel import select

from surveys.models import Consultation, Page, Question

from ...factories import demo_consultation
from ..auth.conftest import sign_in

SLUG = "technology-in-the-nhs"
CHANGED = ("This consultation was changed in another tab or by someone else since you opened this page. "
           "Nothing was saved: reload the page to see the changes, then make yours again.")
CHANGED_CY = "Ni chafodd dim ei gadw"


class _Form(HTMLParser):
    """The page's form with the most fields, as a browser sends it untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {}
            self.forms.append(self.form)
        elif self.form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                self.form.setdefault(a["name"], []).append(a.get("value", "y"))
        elif tag == "input" and a.get("type") != "submit":
            self.form[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a["name"]
            self.form[a["name"]] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.form[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.form[self.textarea] += data


def opened(client, url: str) -> dict:
    """The form on ``url`` as a tab that opened it now would send it."""
    parser = _Form()
    parser.feed(client.get(url).get_data(as_text=True))
    return max(parser.forms, key=len)


def _lead(client, session, status="draft"):
    consultation = demo_consultation(session, status=status)
    from ...factories import user

    sign_in(client, user(session, "lead@example.nhs.uk", "facilitator", (consultation,)).email)
    return consultation


def _refused(response) -> str:
    page = unescape(response.get_data(as_text=True))
    assert response.status_code in (400, 409) and CHANGED in page, page[:3000]
    return page


def test_a_question_form_from_an_older_tab_does_not_put_back_the_prompt(client, session):
    _lead(client, session, status="open")
    url = f"/manage/c/{SLUG}/questions/preferred-contact/edit"
    tab_a, tab_b = opened(client, url), opened(client, url)
    old_hint = session.exec(select(Question).where(Question.key == "preferred-contact")).one().hint
    assert client.post(url, data={**tab_a, "prompt": "How should we reach you?"}).status_code == 302
    page = _refused(client.post(url, data={**tab_b, "hint": "From tab B"}))
    assert "From tab B" in page  # the form is shown again with what was typed
    session.expire_all()
    q = session.exec(select(Question).where(Question.key == "preferred-contact")).one()
    assert (q.prompt, q.hint) == ("How should we reach you?", old_hint)
    # Reloaded, tab B sees tab A's prompt and saves its hint over it.
    again = opened(client, url)
    assert again["prompt"] == "How should we reach you?"
    assert client.post(url, data={**again, "hint": "From tab B"}).status_code == 302
    session.expire_all()
    q = session.exec(select(Question).where(Question.key == "preferred-contact")).one()
    assert (q.prompt, q.hint) == ("How should we reach you?", "From tab B")


def test_settings_from_an_older_tab_do_not_put_back_the_title(client, session):
    consultation = _lead(client, session)
    url = f"/manage/c/{SLUG}/settings"
    tab_a, tab_b = opened(client, url), opened(client, url)
    assert client.post(url, data={**tab_a, "title": "New title"}).status_code == 302
    _refused(client.post(url, data={**tab_b, "retention_days": "400"}))
    session.expire_all()
    c = session.get(Consultation, consultation.id)
    assert (c.title, c.retention_days) == ("New title", 365)


def test_a_page_form_from_an_older_tab_is_refused_after_any_edit(client, session):
    """Any edit moves the stamp on: here a question's, made after the page form was opened."""
    _lead(client, session)
    page = session.exec(select(Page).order_by(Page.position)).first()
    url = f"/manage/c/{SLUG}/pages/{page.key}/edit"
    stale = opened(client, url)
    question_url = f"/manage/c/{SLUG}/questions/preferred-contact/edit"
    assert client.post(question_url, data={**opened(client, question_url), "hint": "New"}).status_code == 302
    _refused(client.post(url, data={**stale, "title": "Stale title"}))
    session.expire_all()
    assert session.get(Page, page.id).title == page.title
    assert client.post(url, data={**opened(client, url), "title": "Fresh title"}).status_code == 302
    session.expire_all()
    assert session.get(Page, page.id).title == "Fresh title"


def test_the_refusal_is_in_welsh_on_a_welsh_page(client, session):
    _lead(client, session)
    url = f"/manage/c/{SLUG}/settings"
    stale = opened(client, url)
    assert client.post(url, data={**opened(client, url), "title": "New title"}).status_code == 302
    r = client.post(f"{url}?lang=cy", data={**stale, "summary": "Stale"})
    assert r.status_code in (400, 409) and CHANGED_CY in unescape(r.get_data(as_text=True))


def _add_extra_question(client) -> None:
    r = client.post(f"/manage/c/{SLUG}/pages/anything-else/questions/new?type=text",
                    data={"key": "extra", "prompt": "Anything more?", "cfg_max_length": "500",
                          "cfg_rows": "3"})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]


def _extra_welsh(session) -> dict:
    session.expire_all()
    extra = session.exec(select(Question).where(Question.key == "extra")).one()
    return (extra.translations or {}).get("cy", {})


def test_a_welsh_page_opened_before_another_tab_wrote_welsh_does_not_delete_it(client, session):
    _lead(client, session)
    url = f"/manage/c/{SLUG}/welsh"
    stale = opened(client, url)
    _add_extra_question(client)
    fresh = opened(client, url)
    new = [name for name in fresh if name not in stale]
    assert len(new) == 1
    assert client.post(url, data={**fresh, new[0]: "Unrhyw beth arall?"}).status_code == 302
    assert _extra_welsh(session) == {"prompt": "Unrhyw beth arall?"}
    r = client.post(url, data=stale)
    assert r.status_code == 400 and CHANGED in unescape(r.get_data(as_text=True))
    assert _extra_welsh(session) == {"prompt": "Unrhyw beth arall?"}


def test_a_welsh_text_not_sent_stays_and_one_sent_empty_is_cleared(client, session):
    _lead(client, session)
    url = f"/manage/c/{SLUG}/welsh"
    _add_extra_question(client)
    form = opened(client, url)
    extra = f"question-{session.exec(select(Question).where(Question.key == 'extra')).one().id}-prompt"
    assert extra in form
    assert client.post(url, data={**form, extra: "Unrhyw beth arall?"}).status_code == 302
    form = opened(client, url)
    title = next(name for name in form if name.startswith("consultation-") and name.endswith("-title"))
    # A form without the question's box (as one opened before it was added, with a fresh stamp).
    sent = {k: v for k, v in form.items() if k != extra}
    assert client.post(url, data={**sent, title: "Technoleg yn y GIG"}).status_code == 302
    assert _extra_welsh(session) == {"prompt": "Unrhyw beth arall?"}
    session.expire_all()
    assert session.exec(select(Consultation)).one().translations["cy"]["title"] == "Technoleg yn y GIG"
    # Sent empty, it is cleared.
    assert client.post(url, data={**opened(client, url), extra: ""}).status_code == 302
    assert _extra_welsh(session) == {}
