"""Trade-off: a 7-point scale between two poles, stored −3 (left) … +3 (right); optional "Why?"."""

from __future__ import annotations

from .base import (
    MAX_REASON,
    AnswerError,
    Parsed,
    QuestionType,
    clean_text,
    field_name,
    register,
    whole_number,
)

POINTS = tuple(range(-3, 4))
#: Stored when the person says they don't know: an answer (it meets "required"), but no position,
#: so every average, chart and comparison (which keep to ``POINTS``) leaves it out.
DONT_KNOW = "dont-know"
DONT_KNOW_LABEL = "I don't know"


@register
class Tradeoff(QuestionType):
    name = "tradeoff"
    title = "Trade-off between two things"
    config_schema = {"left": str, "right": str, "middle": str, "ask_reason": bool}
    required_config = ("left", "right")

    def labels(self, question) -> dict[int, str]:
        c = question.config
        left, right = _lower_first(c["left"]), _lower_first(c["right"])
        return {-3: f"Strongly prefer {left}", -2: f"Prefer {left}", -1: f"Slightly prefer {left}",
                0: c.get("middle", "Both equally"),
                1: f"Slightly prefer {right}", 2: f"Prefer {right}", 3: f"Strongly prefer {right}"}

    def parse(self, question, form) -> Parsed:
        raw = (form.get(field_name(question)) or "").strip()
        reason = None
        if question.config.get("ask_reason"):
            reason = clean_text(form.get(field_name(question, "why")), MAX_REASON,
                                field_name(question, "why"), "Your reason")
        if not raw:
            if question.required:
                raise AnswerError(f"Select where you stand between {question.config['left']} and "
                                  f"{question.config['right']}, or select I don't know", field_name(question))
            return Parsed(None, reason)
        if raw == DONT_KNOW:
            return Parsed(DONT_KNOW, reason)
        value = whole_number(raw)
        if value not in POINTS:
            raise AnswerError("Select one of the points on the scale", field_name(question))
        return Parsed(value, reason)

    def form_values(self, question, value, text) -> dict:
        return {field_name(question): value, field_name(question, "why"): text or ""}

    def display(self, question, value, text) -> str:
        if value is None:
            return "Not answered"
        shown = DONT_KNOW_LABEL if value == DONT_KNOW else self.labels(question)[value]
        return f"{shown}. Why: {text}" if text else shown

    def summarise(self, question, values) -> dict:
        given = [v for v in values if v in POINTS]
        counts = {p: given.count(p) for p in POINTS}
        mean = sum(given) / len(given) if given else None
        return {"answered": len(given), "counts": counts, "mean": mean,
                "dont_know": sum(v == DONT_KNOW for v in values)}


def _lower_first(phrase: str) -> str:
    """'Human connection' -> 'human connection', but leave 'NHS App' alone."""
    if len(phrase) > 1 and phrase[0].isupper() and phrase[1].islower():
        return phrase[0].lower() + phrase[1:]
    return phrase
