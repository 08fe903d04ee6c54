"""Synthetic responses for tests and the benchmark, bulk-inserted (no ORM objects per row)."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy import text as sql
from sqlmodel import Session, select

from surveys.models import Answer, Page, Question, Respondent, utcnow


def value_for(q: Question, rng: random.Random, segment: str | None):
    keys = [str(o["key"]) for o in q.config.get("options", [])]
    if q.is_segment:
        return segment, None
    if q.type == "tradeoff":
        lean = -1 if segment == "staff" else 1
        return max(-3, min(3, lean + rng.randint(-2, 2))), None
    if q.type == "likert":
        points = len(q.config.get("labels") or [1] * 5)
        return rng.randint(0 if q.config.get("dont_know") else 1, points), None
    if q.type == "choice":
        return rng.choice(keys), None
    if q.type == "multi":
        return sorted(rng.sample(keys, rng.randint(1, min(3, len(keys)))), key=keys.index), None
    if q.type == "rank":
        order = keys[:]
        rng.shuffle(order)
        return order, None
    if q.type == "allocate":
        total = q.config["total"]
        cut = sorted(rng.randint(0, total) for _ in range(len(keys) - 1))
        parts = [b - a for a, b in zip([0, *cut], [*cut, total], strict=True)]
        return dict(zip(keys, parts, strict=True)), None
    return None, rng.choice(TEXTS)


TEXTS = ["Staff need time to learn the new system.", "Call me on 07700 900123 about it",
         "I would rather see a person than an app.", "Faster results would help my mum.",
         "Fix the record system first.", "Nothing to add."]


def fill(session: Session, consultation, n: int, seed: int = 1, batch: int = 5000,
         completed_share: float = 0.8) -> None:
    """Add ``n`` respondents with answers to every question (committing each batch), each answer
    carrying its person's group as ``surveys.segments`` keeps it."""
    rng = random.Random(seed)
    pages = session.exec(select(Page).where(Page.consultation_id == consultation.id)
                         .order_by(Page.position)).all()
    position = {p.id: i for i, p in enumerate(pages)}
    questions = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    questions = sorted(questions, key=lambda q: (position[q.page_id], q.position))
    segment_q = next((q for q in questions if q.is_segment), None)
    segments = [str(o["key"]) for o in segment_q.config["options"]] if segment_q else [None]
    now = utcnow()
    conn = session.connection()
    first_id = (session.exec(select(Respondent.id).order_by(Respondent.id.desc())).first() or 0) + 1
    for start in range(0, n, batch):
        size = min(batch, n - start)
        respondents, answers = [], []
        for i in range(size):
            rid = first_id + start + i
            segment = rng.choice(segments)
            done = rng.random() < completed_share
            reached = len(pages) if done else rng.randint(1, len(pages))
            respondents.append({
                "id": rid, "consultation_id": consultation.id, "public_id": secrets.token_hex(8) + str(rid),
                "reference": f"R{rid:09d}", "channel": "workshop" if rng.random() < 0.2 else "online",
                "segment": segment, "locale": "en", "started_at": now - timedelta(minutes=rid % 5000),
                "submitted_at": now if done else None,
                "current_page": None if done or reached >= len(pages) else pages[reached].key})
            for q in questions:
                if position[q.page_id] >= reached:
                    break
                value, text = value_for(q, rng, segment)
                if q.type == "tradeoff" and q.config.get("ask_reason") and rng.random() < 0.3:
                    text = rng.choice(TEXTS)
                answers.append({"respondent_id": rid, "question_id": q.id, "segment": segment,
                                "value": value, "text": text,
                                "text_redacted": text.replace("07700 900123", "[phone number]") if text
                                else None, "safeguarding": False, "updated_at": now})
        conn.execute(insert(Respondent), respondents)
        conn.execute(insert(Answer), answers)
        session.commit()
        conn = session.connection()
    if conn.dialect.name == "postgresql":  # explicit ids: move the sequence past them
        conn.execute(sql("SELECT setval(pg_get_serial_sequence('respondent', 'id'), "
                          "(SELECT max(id) FROM respondent))"))
        session.commit()
