"""Text: a written answer, with a character limit. These feed theme analysis."""

from __future__ import annotations

from ..wording import N_, gettext
from .base import AnswerError, Parsed, QuestionType, Setting, clean_text, field_name, register

DEFAULT_MAX = 2000
HARD_MAX = 10_000


@register
class Text(QuestionType):
    name = "text"
    title = N_("Written answer")
    settings = (Setting("max_length", "int", N_("Longest answer, in characters"),
                        N_("Leave empty for 2000.")),
                Setting("rows", "int", N_("Height of the answer box, in lines"),
                        N_("Leave empty for the usual.")))
    summarised = False
    may_have_text = True

    def check_values(self, config) -> list[str]:
        if not 10 <= config.get("max_length", DEFAULT_MAX) <= HARD_MAX:
            return [gettext("max_length must be between 10 and %(most)s", most=HARD_MAX)]
        return []

    def max_length(self, question) -> int:
        return question.config.get("max_length", DEFAULT_MAX)

    def parse(self, question, form) -> Parsed:
        text = clean_text(form.get(field_name(question)), self.max_length(question),
                          field_name(question), gettext("Your answer"))
        if not text and question.required:
            raise AnswerError(gettext("Write your answer"), field_name(question))
        return Parsed(None, text)

    def form_values(self, question, value, text) -> dict:
        return {field_name(question): text or ""}

    def display(self, question, value, text) -> str:
        return text or gettext("Not answered")

    def analysed(self, question) -> bool:
        return True

    def sample(self, question, context) -> Parsed:
        return Parsed(None, context.write() if context.rng.random() < 0.85 else None)
