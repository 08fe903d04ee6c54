"""Trade-off: a 7-point scale between two poles, stored −3 (left) … +3 (right); optional "Why?"."""

from __future__ import annotations

from ..wording import N_, gettext, lower_first
from .base import (
    MAX_REASON,
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    Written,
    all_or_errors,
    clean_text,
    field_name,
    most_common,
    readable_counts,
    register,
    setting_texts,
    share,
    ticks,
    whole_number,
)

POINTS = tuple(range(-3, 4))
#: The levels a chart by group may count at (``surveys.groups.coarsened``): the seven points, then
#: three sides (leaning left, the middle, leaning right) when a point would single someone out.
SCALE_LEVELS = ({p: (p,) for p in POINTS}, {-2: (-3, -2, -1), 0: (0,), 2: (1, 2, 3)})
#: Stored when the person says they don't know: an answer (it meets "required"), but no position,
#: so every average, chart and comparison (which keep to ``POINTS``) leaves it out.
DONT_KNOW = "dont-know"
DONT_KNOW_LABEL = N_("I don't know")


@register
class Tradeoff(QuestionType):
    name = "tradeoff"
    title = N_("Trade-off between two things")
    settings = (Setting("left", "line", N_("Left pole"), N_("Like 'Human connection'."), required=True),
                Setting("right", "line", N_("Right pole"), N_("Like 'Speed of diagnosis'."), required=True),
                Setting("middle", "line", N_("Middle point"), N_("Leave empty for 'Both equally'.")),
                Setting("ask_reason", "bool", N_("Ask 'Why?' with a written answer")))
    may_have_text = True
    text_is_reason = True
    between_poles = True
    points = POINTS

    def check_values(self, config) -> list[str]:
        same = " ".join(str(config.get("left", "")).split()).casefold() == \
            " ".join(str(config.get("right", "")).split()).casefold()
        return [gettext("the two ends of the scale must say different things")] if same else []

    def texts(self, config) -> dict[str, str]:
        return setting_texts(config, "left", "right", "middle")

    def labels(self, question) -> dict[int, str]:
        c = question.config
        left, right = lower_first(c["left"]), lower_first(c["right"])
        return {-3: gettext("Strongly prefer %(pole)s", pole=left), -2: gettext("Prefer %(pole)s", pole=left),
                -1: gettext("Slightly prefer %(pole)s", pole=left),
                0: c.get("middle") or gettext("Both equally"),
                1: gettext("Slightly prefer %(pole)s", pole=right), 2: gettext("Prefer %(pole)s", pole=right),
                3: gettext("Strongly prefer %(pole)s", pole=right)}

    def parse(self, question, form) -> Parsed:
        # Both problems at once, the choice's first as on the page: told of a missing choice only
        # once the reason was fixed, a person would have to send the page twice.
        value, reason = all_or_errors(lambda: self._point(question, form),
                                      lambda: self._reason(question, form))
        if value is None and reason and not getattr(question, "draft", False):
            # A reason for no position: it would be kept, exported and analysed while the check
            # page said "Not answered", so it is refused at the scale, where the fix is. Saving
            # for later keeps it (the person has not chosen yet); Continue or Send then asks.
            raise AnswerError(gettext("Select where you stand on the scale, or clear your reason"),
                              field_name(question))
        return Parsed(value, reason)

    def _point(self, question, form):
        """The point chosen, DONT_KNOW, or None (an optional question left blank)."""
        raw = (form.get(field_name(question)) or "").strip()
        if not raw:
            if question.required:
                raise AnswerError(gettext("Select where you stand between %(left)s and %(right)s, or "
                                          "select I don't know", left=question.config["left"],
                                          right=question.config["right"]), field_name(question))
            return None
        if raw == DONT_KNOW:
            return DONT_KNOW
        value = whole_number(raw)
        if value not in POINTS:
            raise AnswerError(gettext("Select one of the points on the scale"), field_name(question))
        return value

    def _reason(self, question, form) -> str | None:
        if not question.config.get("ask_reason"):
            return None
        return clean_text(form.get(field_name(question, "why")), MAX_REASON, field_name(question, "why"),
                          gettext("Your reason"))

    def form_values(self, question, value, text) -> dict:
        return {field_name(question): value, field_name(question, "why"): text or ""}

    def display(self, question, value, text) -> str:
        if value is None:
            return gettext("Not answered")
        shown = gettext(DONT_KNOW_LABEL) if value == DONT_KNOW else self.labels(question)[value]
        return gettext("%(answer)s. Why: %(reason)s", answer=shown, reason=text) if text else shown

    def extra_columns(self, question) -> list[str]:
        """The position as a number (to sort and average), and the reason on its own."""
        left, right = (lower_first(p) for p in self.poles(question))
        return [gettext("position from -3 (%(left)s) to +3 (%(right)s)", left=left, right=right),
                *([gettext("why")] if self.analysed(question) else [])]

    def cells(self, question, value, text) -> list:
        shown = (gettext("Not answered") if value is None else gettext(DONT_KNOW_LABEL) if value == DONT_KNOW
                 else self.labels(question)[value])
        return [shown, self.position(value), *([text or ""] if self.analysed(question) else [])]

    def analysed(self, question) -> bool:
        return bool(question.config.get("ask_reason"))

    def position(self, value) -> float | None:
        return value if is_point(value) else None  # "I don't know" has no position

    def poles(self, question) -> tuple[str, str]:
        return (question.config["left"], question.config["right"])

    def shape(self, question, tally) -> dict:
        """Rows of (label, people, share %, point), −3 … +3, and the mean point; people who said
        "I don't know" (``dont_know``) are counted apart, outside ``answered`` and every share."""
        labels = self.labels(question)
        rows = [(labels[p], tally.counts.get(str(p), 0), p) for p in POINTS]
        given = sum(c for _, c, _ in rows)
        mean = sum(p * c for _, c, p in rows) / given if given else None
        return {"answered": given, "mean": mean, "dont_know": tally.counts.get(DONT_KNOW, 0),
                "rows": [(label, c, share(c, given), p) for label, c, p in rows]}

    def counted_answers(self, question) -> list[tuple[str, int]]:
        return [(label, point) for point, label in self.labels(question).items()]

    def on_paper(self, question) -> OnPaper:
        """A box per point, from one pole to the other, and lines for the reason if it is asked."""
        c, labels = question.config, self.labels(question)
        why = (Written(gettext("Why? (you do not have to say)"), 3),) if c.get("ask_reason") else ()
        return OnPaper(gettext("Tick one box, from **%(left)s** to **%(right)s**.",
                               left=c["left"], right=c["right"]),
                       ticks(labels[p] for p in POINTS), after=why)

    def readable(self, question, summary) -> dict:
        """Three leanings rather than seven points (towards the left, both equally, towards the
        right), and "I don't know", as shares of everyone who answered."""
        by_point = {row[3]: row[1] for row in summary["rows"]}
        left, right = (lower_first(question.config[pole]) for pole in ("left", "right"))
        people = summary["answered"] + summary.get("dont_know", 0)
        rows = readable_counts([
            (gettext("Leaned towards %(pole)s", pole=left), sum(n for p, n in by_point.items() if p < 0)),
            (self.labels(question)[0], by_point.get(0, 0)),
            (gettext("Leaned towards %(pole)s", pole=right), sum(n for p, n in by_point.items() if p > 0)),
            (gettext(DONT_KNOW_LABEL), summary.get("dont_know", 0))], people)
        return {"people": people, "rows": rows, "figure": gettext("Share of people"),
                "summary": most_common(rows, people)}

    def sample(self, question, context) -> Parsed:
        rng = context.rng
        return Parsed(max(-3, min(3, round(rng.gauss(context.lean, 1.6)))),
                      context.write() if rng.random() < 0.6 else None)


def is_point(value) -> bool:
    """A stored answer is a point on the scale (not "I don't know", not a stray value)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in POINTS
