"""Rank: put options in order. No dragging: each option gets a position select (1 = most important)."""

from __future__ import annotations

import math

from ..wording import N_, gettext, in_a_list
from .base import (
    OPTIONS_HINT,
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    check_options,
    field_name,
    option_keys,
    option_label,
    option_texts,
    per_option,
    register,
    share,
    ticks,
    whole_number,
    whole_share,
)


@register
class Rank(QuestionType):
    name = "rank"
    title = N_("Put things in order")
    settings = (Setting("options", "options", N_("Options to put in order"), OPTIONS_HINT, required=True),)

    def check_values(self, config) -> list[str]:
        problems = check_options(config)
        if not problems and not 2 <= len(config["options"]) <= 10:
            problems.append(gettext("a rank question needs 2 to 10 options"))
        return problems

    def texts(self, config) -> dict[str, str]:
        return option_texts(config)

    def parse(self, question, form) -> Parsed:
        keys = option_keys(question)
        positions, wrong = {}, {}  # every select that is wrong is marked at once, not one per try
        for key in keys:
            raw = (form.get(field_name(question, key)) or "").strip()
            if raw:
                position = whole_number(raw)
                if position is None or not 1 <= position <= len(keys):
                    wrong[field_name(question, key)] = gettext("Choose a position from 1 to %(last)s",
                                                               last=len(keys))
                else:
                    positions[key] = position
        if wrong:
            raise AnswerError.of(wrong)
        if not positions:
            if question.required:
                raise AnswerError(gettext("Put the options in order, starting with 1 for the most "
                                          "important"), field_name(question, keys[0]))
            return Parsed()
        given = list(positions.values())
        for key in keys:
            if key not in positions:
                wrong[field_name(question, key)] = gettext("Give every option a position")
            elif given.count(positions[key]) > 1:
                wrong[field_name(question, key)] = gettext("Use each position only once")
        if wrong:
            raise AnswerError.of(wrong)
        return Parsed(sorted(keys, key=positions.__getitem__))

    def anchor(self, question) -> str:
        return field_name(question, option_keys(question)[0])  # the first option's position

    def form_values(self, question, value, text) -> dict:
        order = value or []
        return {field_name(question, k): (order.index(k) + 1 if k in order else "")
                for k in option_keys(question)}

    def display(self, question, value, text) -> str:
        if not value:
            return gettext("Not answered")
        return "; ".join(f"{i}. {option_label(question, k)}" for i, k in enumerate(value, 1))

    def extra_columns(self, question) -> list[str]:
        return [gettext("%(option)s, place", option=option_label(question, k)) for k in option_keys(question)]

    def cells(self, question, value, text) -> list:
        places = {k: i for i, k in enumerate(value if isinstance(value, list) else [], 1)}
        return [self.display(question, value, text), *per_option(question, places)]

    def tally(self, question, tally, value, n) -> None:
        keys = option_keys(question)
        tally.answered += n
        for i, k in enumerate(value if isinstance(value, list) else []):
            if i < len(keys) and k in keys:
                tally.counts[f"{k}@{i + 1}"] += n

    def shape(self, question, tally) -> dict:
        """Options in order of average position; the rows' counts are how often each came first."""
        n, answered = len(option_keys(question)), tally.answered
        ranked = []
        for o in question.config["options"]:
            at = [tally.counts.get(f"{o['key']}@{i}", 0) for i in range(1, n + 1)]
            mean = sum(i * c for i, c in enumerate(at, 1)) / answered if answered else None
            ranked.append((o["label"], at[0], mean))
        ranked.sort(key=lambda r: (r[2] is None, r[2]))
        return {"answered": answered, "rank_rows": ranked, "heading": "Put first",
                "rows": [(label, first, share(first, answered)) for label, first, _ in ranked]}

    def readable(self, question, summary) -> dict:
        """The options from highest to lowest on average, each with how many put it first."""
        people = summary["answered"]
        ranked = [(label, first, mean) for label, first, mean in summary["rank_rows"] if mean is not None]
        rows = [{"label": label, "figure": f"{whole_share(first, people)}%", "people": first,
                 "bar": whole_share(first, people)} for label, first, _ in ranked]
        tied = [label for label, _, mean in ranked if math.isclose(mean, ranked[0][2])]
        said = (gettext("Put highest overall, equally: %(answers)s. Listed from highest to lowest on "
                        "average.", answers=in_a_list(tied)) if len(tied) > 1 else
                gettext("Put highest overall: %(answer)s. Listed from highest to lowest on average.",
                        answer="".join(tied)))
        return {"people": people, "rows": rows, "figure": gettext("Put it first"), "summary": said}

    def on_paper(self, question) -> OnPaper:
        """A box per option, wide enough for its number in the order."""
        options = question.config["options"]
        return OnPaper(gettext("Write a number in each box: 1 for what matters most to you, up to %(n)s for "
                               "what matters least. Use each number once.", n=len(options)),
                       ticks(o["label"] for o in options), box=2.2)

    def sample(self, question, context) -> Parsed:
        keys = option_keys(question)
        context.rng.shuffle(keys)
        return Parsed(keys)
