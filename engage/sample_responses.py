"""Varied sample responses for the demo consultation, so a first run shows a populated workspace.

Answers are built from small phrase banks (what patients and staff commonly say about technology
in care) and go through the same operations as real answers, redaction included.
"""

from __future__ import annotations

import random
import zlib
from datetime import timedelta

from sqlmodel import Session

from surveys import journey, responses
from surveys.models import Consultation, Workshop, utcnow
from surveys.types import get_type
from surveys.types.base import SampleContext

#: Segments drawn for sample people, as weights: five patients to every two carers, two public, four staff.
SEGMENT_DRAWS = ["patient"] * 5 + ["carer"] * 2 + ["public"] * 2 + ["staff"] * 4

IDEAS = {
    "access": ["getting a GP appointment without ringing at 8am",
               "being able to book and change appointments online",
               "shorter waits to see a specialist", "quicker test results"],
    "human": ["talking to a real person who listens", "seeing the same doctor each time",
              "face to face appointments for anything serious", "kindness and time with the nurse"],
    "records": ["one shared record so I don't repeat my story", "hospital and GP seeing the same notes",
                "up-to-date records when I arrive", "letters not getting lost between services"],
    "systems": ["computers that log in quickly", "fewer passwords and systems for staff",
                "Wi-Fi that works on the ward", "the patient record system being easier to use"],
    "app": ["an NHS App that actually does more", "repeat prescriptions in the app",
            "messages from the hospital in the app instead of letters", "help for people who are not online"],
    "ai": ["AI helping doctors spot problems early, with a person checking",
           "being told when AI is used in my care", "AI scribes so the doctor can look at me",
           "keeping my data safe and private"],
    "fairness": ["not leaving older people behind", "support for people without smartphones",
                 "information in other languages", "making sure it works for disabled people"],
}
OPENERS = ["For me it is", "What matters most is", "I think", "Honestly,", "Please focus on", ""]
# Asides people add after what they want. The first demo closed three answers in four with one
# of six asides, word for word, and the engine rightly made "Mum struggled with this last year"
# a theme: no one writes the same aside as one person in eight. Now one answer in four has an
# aside, short and varied, each said by about one answer in sixty.
EXTRAS = ["It would make a big difference.", "Things are too slow at the moment.",
          "Staff are stretched already.", "Contact me on 07700 900456 if you want to know more.",
          "I am Mrs Patel and I mean it.", "Email me at jo.bloggs@example.com for more.",
          "Thank you for asking.", "It matters to my family.", "We waited weeks last time.",
          "The staff do their best.", "Please listen.", "It is frustrating.",
          "My mum struggled with this.", "Nothing else matters as much."]
#: Whether an answer has an aside: drawn as one of eight, as the first demo drew its closing
#: sentence, so that every other draw of a seed (segments, trade-offs, tables) stays as it was.
WITH_ASIDE = [False] * 6 + [True] * 2
STAFF_IDEAS = ["systems", "records", "ai", "access"]
LEAN_LEFT = ("patient", "carer")


def _sentence(rng: random.Random, segment: str) -> str:
    topics = STAFF_IDEAS if segment == "staff" else list(IDEAS)
    idea = rng.choice(IDEAS[rng.choice(topics)])
    opener = rng.choice(OPENERS)
    text = f"{opener} {idea}".strip() if opener else idea[0].upper() + idea[1:]
    if rng.random() < 0.35:
        ideas = IDEAS[rng.choice(topics)]
        other = rng.choice(ideas)
        if other == idea:  # not "X and X": the next idea, with no draw of its own
            other = ideas[(ideas.index(idea) + 1) % len(ideas)]
        text += " and " + other
    text += "."
    if rng.choice(WITH_ASIDE):  # which aside follows from the words, with no draw of its own
        text += " " + EXTRAS[zlib.crc32(text.encode()) % len(EXTRAS)]
    return text


def _value(rng: random.Random, q, segment: str):
    """A made-up answer from the question's type: patients and carers lean one way, staff the other."""
    context = SampleContext(rng=rng, segment=segment, lean=-1 if segment in LEAN_LEFT else 1,
                            write=lambda: _sentence(rng, segment))
    return get_type(q.type).sample(q, context)


def add_sample_responses(session: Session, consultation: Consultation, count: int,
                         seed: int = 7) -> None:
    """Add ``count`` submitted responses (about a third from a sample workshop)."""
    rng = random.Random(seed)
    structure = journey.Structure.load(session, consultation)
    workshop = Workshop(consultation_id=consultation.id, name="Sample staff and patient workshop",
                        join_code=f"S{seed:03d}{consultation.id:04d}"[:8], tables=4, status="closed",
                        closed_at=utcnow())
    session.add(workshop)
    session.flush()
    now = utcnow()
    for i in range(count):
        segment = rng.choice(SEGMENT_DRAWS)
        in_workshop = rng.random() < 0.33
        respondent, _ = responses.start_response(
            session, consultation, channel="workshop" if in_workshop else "online",
            workshop_id=workshop.id if in_workshop else None,
            table_number=rng.randint(1, 4) if in_workshop else None)
        answers: dict = {}
        for page in structure.pages:
            if not journey.rule_met(page, answers):
                continue
            for q in structure.questions_on(page):
                answer = responses.save_answer(session, respondent, q, _value(rng, q, segment), None)
                if answer is not None:
                    answers[q.key] = answer
        respondent.started_at = now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        respondent.submitted_at = respondent.started_at + timedelta(minutes=rng.randint(4, 30))
        if i % 50 == 0:
            session.flush()
    session.flush()
