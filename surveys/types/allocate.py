"""Allocate: share a budget across options (e.g. 100 points); the amounts must add up exactly."""

from __future__ import annotations

from .base import (
    AnswerError,
    Parsed,
    QuestionType,
    check_options,
    field_name,
    option_keys,
    option_label,
    register,
    whole_number,
)

MAX_TOTAL = 1_000_000


@register
class Allocate(QuestionType):
    name = "allocate"
    title = "Share a budget"
    config_schema = {"options": list, "total": int, "unit": str}
    required_config = ("options", "total")

    def check_values(self, config) -> list[str]:
        problems = check_options(config)
        if not 1 <= config["total"] <= MAX_TOTAL:
            problems.append(f"total must be between 1 and {MAX_TOTAL:,}")
        return problems

    def unit(self, question) -> str:
        return question.config.get("unit", "points")

    def parse(self, question, form) -> Parsed:
        total = question.config["total"]
        amounts = {}
        for key in option_keys(question):
            field = field_name(question, key)
            raw = (form.get(field) or "").strip().replace(",", "")
            if not raw:
                continue
            amount = whole_number(raw)
            if amount is None or amount < 0:
                raise AnswerError(f"Enter a whole number of {self.unit(question)}, like 20", field)
            if amount > total:
                raise AnswerError(f"Enter {total} {self.unit(question)} or fewer", field)
            amounts[key] = amount
        if not any(amounts.values()):
            if question.required:
                raise AnswerError(f"Share your {total} {self.unit(question)} between the options",
                                  field_name(question, option_keys(question)[0]))
            return Parsed()
        given = sum(amounts.values())
        if given != total:
            raise AnswerError(f"Your {self.unit(question)} add up to {given}. They must add up to "
                              f"exactly {total}", field_name(question, option_keys(question)[0]))
        return Parsed({k: amounts.get(k, 0) for k in option_keys(question)})

    def form_values(self, question, value, text) -> dict:
        value = value or {}
        return {field_name(question, k): value.get(k, "") for k in option_keys(question)}

    def display(self, question, value, text) -> str:
        if not value:
            return "Not answered"
        return "; ".join(f"{option_label(question, k)}: {v} {self.unit(question)}"
                         for k, v in value.items())

    def summarise(self, question, values) -> dict:
        given = [v for v in values if v]
        mean = {option_label(question, k): (sum(v.get(k, 0) for v in given) / len(given)
                                           if given else None) for k in option_keys(question)}
        return {"answered": len(given), "mean": mean}
