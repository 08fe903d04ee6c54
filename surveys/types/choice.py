"""Choice (radios) and multi (checkboxes), each with an optional "something else, please say"."""

from __future__ import annotations

from ..wording import N_, gettext, ngettext
from .base import (
    MAX_REASON,
    OPTIONS_HINT,
    OTHER_KEY,
    OTHER_LABEL,
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    Written,
    check_options,
    clean_text,
    counted_rows,
    field_name,
    most_common,
    option_keys,
    option_label,
    option_texts,
    readable_counts,
    register,
    ticks,
)

OTHER_SETTING = Setting("other", "bool", N_("Offer 'Something else' with a written answer"))


class _Options(QuestionType):
    settings = (Setting("options", "options", N_("Options"), OPTIONS_HINT, required=True), OTHER_SETTING)
    can_route = True
    may_have_text = True

    def check_values(self, config) -> list[str]:
        return check_options(config)

    def texts(self, config) -> dict[str, str]:
        return option_texts(config)

    def items(self, question) -> list[tuple[str, str]]:
        items = [(str(o["key"]), o["label"]) for o in question.config["options"]]
        if question.config.get("other"):
            items.append((OTHER_KEY, gettext(OTHER_LABEL)))
        return items

    def _other_text(self, question, form, chosen: bool) -> str | None:
        field = field_name(question, "other")
        text = clean_text(form.get(field), MAX_REASON, field, gettext("Your answer"))
        if chosen and not text:
            raise AnswerError(gettext("Tell us what else, or choose another answer"), field)
        return text if chosen else None

    def form_values(self, question, value, text) -> dict:
        return {field_name(question): value, field_name(question, "other"): text or ""}

    def shape(self, question, tally) -> dict:
        return counted_rows(tally, self.items(question))

    def counted_answers(self, question) -> list[tuple[str, str]]:
        return [(label, key) for key, label in self.items(question)]

    def how_to_tick(self, question) -> str:
        """What to tick, on paper."""
        raise NotImplementedError

    def on_paper(self, question) -> OnPaper:
        """A tick box per option, and lines to say what else when 'Something else' is offered."""
        other = ((Written(gettext("If you ticked '%(other)s', please say:", other=gettext(OTHER_LABEL)), 2),)
                 if question.config.get("other") else ())
        return OnPaper(self.how_to_tick(question), ticks(label for _, label in self.items(question)),
                       after=other)


@register
class Choice(_Options):
    name = "choice"
    title = N_("One answer from a list")
    can_segment = True

    def parse(self, question, form) -> Parsed:
        raw = (form.get(field_name(question)) or "").strip()
        if not raw:
            if question.required:
                raise self.missing(question)
            return Parsed()
        if raw not in dict(self.items(question)):
            raise AnswerError(gettext("Select one of the answers given"), field_name(question))
        return Parsed(raw, self._other_text(question, form, raw == OTHER_KEY))

    def display(self, question, value, text) -> str:
        if value is None:
            return gettext("Not answered")
        return (gettext("Something else: %(text)s", text=text) if value == OTHER_KEY
                else option_label(question, value))

    def how_to_tick(self, question) -> str:
        return gettext("Tick one box.")

    def sample(self, question, context) -> Parsed:
        if question.is_segment:
            return Parsed(context.segment)
        return Parsed(context.rng.choice(option_keys(question)))


@register
class Multi(_Options):
    name = "multi"
    title = N_("Several answers from a list")
    settings = (*_Options.settings,
                Setting("max_choices", "int", N_("Most answers a person may choose"),
                        N_("Leave empty for no limit.")))

    def check_values(self, config) -> list[str]:
        problems = check_options(config)
        most = config.get("max_choices")
        count = len(config.get("options") or []) + bool(config.get("other"))
        if not problems and isinstance(most, int) and not isinstance(most, bool) and most > count:
            problems.append(gettext("max_choices may be at most the number of options (%(count)s)",
                                    count=count))
        return problems

    def parse(self, question, form) -> Parsed:
        getlist = getattr(form, "getlist", None)
        raw = getlist(field_name(question)) if getlist else form.get(field_name(question)) or []
        chosen = [str(k).strip() for k in raw if str(k).strip()]
        allowed = [k for k, _ in self.items(question)]
        if any(k not in allowed for k in chosen):
            raise AnswerError(gettext("Select from the answers given"), field_name(question))
        chosen = [k for k in allowed if k in chosen]  # option order, no repeats
        if not chosen:
            if question.required:
                raise AnswerError(gettext("Select at least one answer"), field_name(question))
            return Parsed()
        limit = question.config.get("max_choices")
        if limit and len(chosen) > limit:
            raise AnswerError(ngettext("Select up to %(num)s answer", "Select up to %(num)s answers", limit),
                              field_name(question))
        return Parsed(chosen, self._other_text(question, form, OTHER_KEY in chosen))

    def display(self, question, value, text) -> str:
        if not value:
            return gettext("Not answered")
        return ", ".join(gettext("Something else: %(text)s", text=text) if k == OTHER_KEY
                         else option_label(question, k)
                         for k in value)

    def how_to_tick(self, question) -> str:
        limit = question.config.get("max_choices")
        return (ngettext("Tick up to %(num)s box.", "Tick up to %(num)s boxes.", limit) if limit
                else gettext("Tick all the boxes that apply."))

    def tally(self, question, tally, value, n) -> None:
        tally.answered += n
        for k, _label in self.items(question):
            if isinstance(value, list) and k in value:
                tally.counts[k] += n

    def readable(self, question, summary) -> dict:
        """Like one answer's, but each person may give several: "most often included"."""
        people = summary["answered"]
        rows = readable_counts([(row[0], row[1]) for row in summary["rows"]], people)
        return {"people": people, "rows": rows, "figure": gettext("Share of people"),
                "summary": most_common(rows, people, several=True)}

    def sample(self, question, context) -> Parsed:
        keys = option_keys(question)
        most = min(len(keys), question.config.get("max_choices", 3))
        return Parsed(sorted(context.rng.sample(keys, context.rng.randint(1, most)), key=keys.index))


__all__ = ["Choice", "Multi", "option_keys"]
