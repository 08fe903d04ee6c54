"""Shared steps for theme tests."""

import re
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace

from sqlmodel import select

from surveys import responses
from surveys.models import AnalysisRun, Answer, Consultation, Question, ThemeAssignment, utcnow
from surveys.types.base import Parsed

from ...factories import signed_in_lead_with_answers


def splitting_word(session, theme_id: int) -> str:
    """A word in some, not all, of a theme's answers (the most common such word)."""
    texts = session.exec(select(Answer.text_redacted)
                         .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                         .where(ThemeAssignment.theme_id == theme_id)).all()
    counts = Counter(w for t in texts for w in {w.lower() for w in re.findall(r"[A-Za-z]{4,}", t or "")})
    return next((w for w, n in counts.most_common() if n < len(texts)), "no-such-word")


def split_by_word(client, session, run, theme_id: int, label: str = ""):
    word = splitting_word(session, theme_id)
    return client.post(f"{run.base}/t/{theme_id}/split", data={"phrase": word, "label": label})


#: Answers on a topic the demo consultation's answers never mention.
PARKING = [
    "Car parking at the hospital is far too expensive.",
    "There are never any parking spaces when I arrive.",
    "Parking charges for visitors are far too high.",
    "I drove round the car park for forty minutes looking for a space.",
    "More disabled parking bays near the entrance please.",
    "The car park is always full by nine in the morning.",
    "Parking fees add up when you visit every day.",
    "Free parking for carers would help so much.",
    "The parking machines never take cards.",
    "Nowhere to park near the clinic, so I was late.",
    "Car parking is a nightmare, the spaces are tiny.",
    "Staff should not have to pay for parking on shift.",
    "The multi storey car park needs more spaces.",
    "I got a parking fine while waiting in the clinic.",
    "Parking costs for long stays are unfair on families.",
    "Blue badge parking spaces are always taken.",
    "The car park barrier broke and we queued for ages.",
    "Please build a bigger car park.",
    "Parking permits for regular visitors would be fairer.",
    "Finding a parking space takes longer than the appointment.",
]


def add_text_answers(session, consultation_id: int, question_id: int, texts: list[str]) -> list[int]:
    """Submitted responses that answer one text question with ``texts``; their answers' ids."""
    session.expunge_all()
    consultation = session.get(Consultation, consultation_id)
    question = session.get(Question, question_id)
    ids = []
    for text in texts:
        respondent, _ = responses.start_response(session, consultation)
        answer = responses.save_answer(session, respondent, question, Parsed(None, text), None)
        respondent.submitted_at = utcnow()
        session.add(respondent)
        session.flush()
        ids.append(answer.id)
    session.commit()
    return ids


class _Forms(HTMLParser):
    """Each form's fields as a browser sends them when nothing is touched: hidden and typed values
    as written, and a list's option marked selected, else its first option (as browsers do)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self.form: dict[str, str] | None = None
        self.select: str | None = None
        self.first: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {}
        elif self.form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio", "submit"):
            self.form[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select, self.first = a.get("name"), None
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.first is None:
                self.first = value
                self.form.setdefault(self.select, value)
            if "selected" in a:
                self.form[self.select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


def untouched_forms(html: str) -> list[dict[str, str]]:
    """What each form on a page sends if its button is pressed without choosing or typing."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def card_fact(card: str, name: str) -> str | None:
    """What a theme board card says under ``name`` (a row of its summary list), as text."""
    found = re.search(r'<dt class="nhsuk-summary-list__key"\s*>\s*' + re.escape(name)
                      + r'\s*</dt>\s*<dd class="nhsuk-summary-list__value"\s*>(.*?)</dd>', card, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def analysed(app, session, client, responses: int = 60) -> SimpleNamespace:
    """The demo consultation with ``responses`` sample responses, its facilitator signed in, and a
    finished analysis of its written answers: ``id``, ``consultation``, ``question`` (the first
    written question's id) and ``base`` (the board's address)."""
    consultation = signed_in_lead_with_answers(app, session, client, responses)
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done"
    return SimpleNamespace(id=run.id, consultation=consultation, question=qids[0],
                           base=f"/manage/{consultation.slug}/themes/{run.id}")
