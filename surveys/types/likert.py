"""Likert: agree … disagree. Stored as the 1-based position of the label; 0 means "Don't know"."""

from __future__ import annotations

from ..wording import N_, gettext
from .base import (
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    counted_rows,
    field_name,
    register,
    ticks,
    whole_number,
)

DEFAULT_LABELS = [N_("Strongly agree"), N_("Agree"), N_("Neither agree nor disagree"), N_("Disagree"),
                  N_("Strongly disagree")]
DONT_KNOW = 0


@register
class Likert(QuestionType):
    name = "likert"
    title = N_("Agree or disagree")
    settings = (Setting("labels", "lines", N_("Scale labels"),
                        N_("3 to 7 points, one in each box, from agree to disagree. Leave them all empty "
                           "for the usual five."), rows=(3, 7)),
                Setting("dont_know", "bool", N_("Offer 'Don't know'")))

    def check_values(self, config) -> list[str]:
        labels = config.get("labels", DEFAULT_LABELS)
        if not 3 <= len(labels) <= 7 or not all(isinstance(x, str) and x for x in labels):
            return [gettext("labels must be a list of 3 to 7 words or phrases")]
        return []

    def texts(self, config) -> dict[str, str]:
        """Scale labels the facilitator wrote (the usual five are the interface's own words)."""
        return {f"labels.{i}": label for i, label in enumerate(config.get("labels") or [])
                if isinstance(label, str) and label}

    def choices(self, question) -> list[tuple[int, str]]:
        labels = question.config.get("labels") or [gettext(label) for label in DEFAULT_LABELS]
        items = list(enumerate(labels, 1))
        if question.config.get("dont_know"):
            items.append((DONT_KNOW, gettext("Don't know")))
        return items

    def parse(self, question, form) -> Parsed:
        raw = (form.get(field_name(question)) or "").strip()
        if not raw:
            if question.required:
                raise AnswerError(gettext("Select how much you agree or disagree"), field_name(question))
            return Parsed()
        allowed = {k for k, _ in self.choices(question)}
        value = whole_number(raw)
        if value not in allowed:
            raise AnswerError(gettext("Select one of the answers given"), field_name(question))
        return Parsed(value)

    def display(self, question, value, text) -> str:
        return dict(self.choices(question)).get(value, gettext("Not answered"))

    def position(self, value) -> float | None:
        return None if value in (None, DONT_KNOW) else value  # "don't know" has no position

    def poles(self, question) -> tuple[str, str]:
        # Said after "Moved towards" ("Symud tuag at", which mutates the word after it in Welsh:
        # "gytuno"); in the language being served, as the rest of the summary.
        return (gettext("agree"), gettext("disagree"))

    def shape(self, question, tally) -> dict:
        return counted_rows(tally, [(str(k), label) for k, label in self.choices(question)])

    def counted_answers(self, question) -> list[tuple[str, int]]:
        return [(label, key) for key, label in self.choices(question)]

    def on_paper(self, question) -> OnPaper:
        return OnPaper(gettext("Tick one box."), ticks(label for _, label in self.choices(question)))

    def sample(self, question, context) -> Parsed:
        return Parsed(context.rng.choice([1, 2, 2, 3, 4, 5, 0]))
