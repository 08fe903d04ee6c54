"""Allocate: share a budget across options (e.g. 100 points); the amounts must add up exactly."""

from __future__ import annotations

import math
import re
import unicodedata

from ..wording import N_, gettext, in_a_list
from .base import (
    OPTIONS_HINT,
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    Written,
    check_options,
    field_name,
    option_keys,
    option_label,
    option_texts,
    per_option,
    register,
    setting_texts,
    share,
    ticks,
    whole_number,
    whole_share,
)

MAX_TOTAL = 1_000_000


@register
class Allocate(QuestionType):
    name = "allocate"
    title = N_("Share a budget")
    settings = (Setting("options", "options", N_("Options to share the budget between"), OPTIONS_HINT,
                        required=True),
                Setting("total", "int", N_("Budget to share"), N_("Like 100."), required=True),
                Setting("unit", "line", N_("Unit"),
                        N_("Like 'points' or '£ billion'. Leave empty for 'points'.")))

    def check_values(self, config) -> list[str]:
        problems = check_options(config)
        if not 1 <= config["total"] <= MAX_TOTAL:
            problems.append(gettext("total must be between 1 and %(most)s", most=f"{MAX_TOTAL:,}"))
        return problems

    def texts(self, config) -> dict[str, str]:
        return {**option_texts(config), **setting_texts(config, "unit")}

    def unit(self, question) -> str:
        return question.config.get("unit") or gettext("points")

    def parse(self, question, form) -> Parsed:
        total = question.config["total"]
        amounts, wrong = {}, {}  # every box that is wrong is marked at once, not one per try
        unit = self.unit(question)
        for key in option_keys(question):
            field = field_name(question, key)
            raw = amount_typed(form.get(field))
            if not raw:
                continue
            amount = whole_number(raw)
            if amount is None or amount < 0:
                wrong[field] = gettext("Enter a whole number of %(unit)s, like 20", unit=unit)
            elif amount > total:
                wrong[field] = gettext("Enter %(total)s %(unit)s or fewer", total=total, unit=unit)
            else:
                amounts[key] = amount
        if wrong:
            raise AnswerError.of(wrong)
        if not any(amounts.values()):
            if question.required:
                raise AnswerError(gettext("Share your %(total)s %(unit)s between the options", total=total,
                                          unit=self.unit(question)),
                                  field_name(question, option_keys(question)[0]))
            return Parsed()
        given = sum(amounts.values())
        if given != total:
            raise AnswerError(gettext("Your %(unit)s add up to %(given)s. They must add up to exactly "
                                      "%(total)s", unit=self.unit(question), given=given, total=total),
                              field_name(question, option_keys(question)[0]))
        return Parsed({k: amounts.get(k, 0) for k in option_keys(question)})

    def anchor(self, question) -> str:
        return field_name(question, option_keys(question)[0])  # the first option's amount

    def form_values(self, question, value, text) -> dict:
        value = value or {}
        return {field_name(question, k): value.get(k, "") for k in option_keys(question)}

    def display(self, question, value, text) -> str:
        if not value:
            return gettext("Not answered")
        return "; ".join(f"{option_label(question, k)}: {v} {self.unit(question)}"
                         for k, v in value.items())

    def extra_columns(self, question) -> list[str]:
        return [f"{option_label(question, k)}, {self.unit(question)}" for k in option_keys(question)]

    def cells(self, question, value, text) -> list:
        return [self.display(question, value, text), *per_option(question, value)]

    def summed_keys(self, question) -> list[str]:
        return option_keys(question)

    def shape(self, question, tally) -> dict:
        """Rows of (label, mean amount, share % of the total)."""
        answered, total = tally.answered, question.config["total"]
        means = [(o["label"], tally.counts.get(str(o["key"]), 0) / answered if answered else 0)
                 for o in question.config["options"]]
        return {"answered": answered, "unit": self.unit(question),
                "heading": f"Average {self.unit(question)}",
                "rows": [(label, round(mean, 1), share(mean, total)) for label, mean in means]}

    def readable(self, question, summary) -> dict:
        """The average amount each option was given, most first, leaving out those given none."""
        unit, total = self.unit(question), question.config["total"]
        means = sorted(((mean, label) for label, mean, _ in summary["rows"] if mean), reverse=True)
        rows = [{"label": label, "figure": f"{mean:.0f} {unit}", "people": None,
                 "bar": whole_share(mean, total)} for mean, label in means]
        tied = [label for mean, label in means if math.isclose(mean, means[0][0])]
        said = (gettext("The most %(unit)s went equally to: %(answers)s.", unit=unit, answers=in_a_list(tied))
                if len(tied) > 1 else gettext("Most %(unit)s went to: %(answer)s.", unit=unit,
                                              answer="".join(tied)))
        return {"people": summary["answered"], "rows": rows, "figure": gettext("Average given"),
                "summary": said}

    def on_paper(self, question) -> OnPaper:
        """A box per option, wide enough for an amount, and the total they must add up to."""
        total, unit = f'{question.config["total"]:,}', self.unit(question)
        return OnPaper(gettext("Share %(total)s %(unit)s between these. Write an amount in each box you want "
                               "to give some to. They must add up to %(total)s.", total=total, unit=unit),
                       ticks(o["label"] for o in question.config["options"]), box=4,
                       after=(Written(gettext("Total: %(total)s %(unit)s", total=total, unit=unit)),))

    def sample(self, question, context) -> Parsed:
        keys, total = option_keys(question), question.config["total"]
        cuts = sorted(context.rng.randint(0, total) for _ in keys[:-1])
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        return Parsed(dict(zip(keys, parts, strict=True)))


_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")


def amount_typed(raw: str | None) -> str:
    """An amount as typed, read as plain digits: full-width digits (NFKC) as ASCII, and commas
    only as thousands separators ("1,000" is 1000). Any other comma is left in, so "2,5" is
    refused as not a whole number rather than read as 25."""
    typed = unicodedata.normalize("NFKC", raw or "").strip()
    return typed.replace(",", "") if _THOUSANDS.fullmatch(typed) else typed
