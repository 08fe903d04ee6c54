"""The question-type registry: one class per type, found by name.

Each type owns everything that differs between types, so that no code elsewhere asks which type
a question is:

- its settings (``settings``): the config schema, checked by ``check_config``, from which the
  builder's form is made;
- reading a submitted page (``parse``, and ``merge``/``asks_again`` for a question answered over
  several screens), putting a saved answer back into the form (``form_values``) and showing it on
  the check-answers page (``display``);
- how its answers are summarised, for respondents, facilitators and reports alike: ``tally``
  counts one stored value, ``shape`` turns the counts into rows (see ``surveys.summaries``), and
  ``readable`` says a summary in plain words for the public results page;
- what it can do elsewhere: decide a segment, route a page, carry written answers to analyse,
  measure opinion change;
- how it is laid out on paper for a pen (``on_paper``), and which answers a public chart counts
  (``counted_answers``);
- sample answers for the demo (``sample``);
- its templates: ``participate/types/<name>.html`` (asking) and ``summaries/<name>.html``
  (facilitators' summary).

Adding a type is adding one module here (imported in ``__init__``) and its two templates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..plain_text import storable
from ..wording import N_, gettext, in_a_list, ngettext

REGISTRY: dict[str, type[QuestionType]] = {}
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
MAX_REASON = 1000


class AnswerError(ValueError):
    """An answer that cannot be accepted; ``message`` is shown to the person, next to ``field``.

    ``more`` holds the answer's other problems (field -> message), for a question with several
    fields: the person is told of them all at once, not one per try."""

    def __init__(self, message: str, field: str, more: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        #: Every problem with the answer, by field, in the order the page shows the fields.
        self.errors = {field: message, **(more or {})}

    @classmethod
    def of(cls, errors: Mapping[str, str]) -> AnswerError:
        """One error for every problem in ``errors`` (field -> message, in the page's order)."""
        (field, message), *more = errors.items()
        return cls(message, field, dict(more))


def all_or_errors(*parts: Callable[[], Any]) -> tuple:
    """What each of ``parts`` gives, in order; if any of them raise AnswerError, one AnswerError
    with all their problems, in the order of ``parts`` (give them in the page's order)."""
    results, errors = [], {}
    for part in parts:
        try:
            results.append(part())
        except AnswerError as exc:
            errors.update(exc.errors)
    if errors:
        raise AnswerError.of(errors)
    return tuple(results)


@dataclass(frozen=True)
class Parsed:
    """What a person gave for one question: the typed value and any free text (reason, other)."""

    value: Any = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return self.value in (None, [], {}) and not self.text


#: Builder field kinds, and the Python type a setting of that kind holds in a question's config.
SETTING_KINDS = {"line": str, "bool": bool, "int": int, "options": list, "lines": list}
#: The largest whole-number setting (builder and definition files alike); the smallest is 1.
MAX_SETTING_NUMBER = 1_000_000
#: The longest label of an option or a line (builder and definition files alike).
MAX_LABEL = 300
#: The longest one-line setting (a trade-off's poles, an allocation's unit).
MAX_LINE = 200
OPTIONS_HINT = N_("One in each box, in the order people will see them.")


@dataclass(frozen=True)
class Setting:
    """One config setting of a type: its key, builder field kind, label and hint."""

    key: str
    kind: str
    label: str
    hint: str = ""
    #: The type cannot do without it (checked in definitions and by the builder's form).
    required: bool = False
    #: For a list ("options", "lines"): the fewest and most entries the builder takes.
    rows: tuple[int, int] = (2, 30)

    @property
    def python_type(self) -> type:
        return SETTING_KINDS[self.kind]


@dataclass
class Tally:
    """Counts of the answers to one question from one group (everyone, or one segment)."""

    counts: dict = field(default_factory=lambda: defaultdict(int))
    answered: int = 0


@dataclass(frozen=True)
class SampleContext:
    """What a type needs to make up a plausible demo answer."""

    rng: Any
    #: The person's segment key, and their lean on a scale (−1 one way, +1 the other).
    segment: str
    lean: int
    #: Makes up a sentence of free text such a person might write.
    write: Callable[[], str]


@dataclass(frozen=True)
class Written:
    """Words after a question's boxes on paper (may be empty), then ruled lines to write on (0: none;
    None: as many as the print size gives a written answer)."""

    words: str = ""
    lines: int | None = 0


@dataclass(frozen=True)
class OnPaper:
    """A question laid out for a pen (``engage.paper.printable`` draws it): an ``instruction``, then
    a row per entry of ``rows``, each a box followed by its label (a row of several labels has a box
    before each, side by side), then ``after``. A box is ``box`` tick boxes wide: one for a tick,
    wider for a number. Text may use **bold**."""

    instruction: str
    rows: tuple[tuple[str, ...], ...] = ()
    box: float = 1.15
    after: tuple[Written, ...] = ()


def ticks(labels) -> tuple[tuple[str, ...], ...]:
    """Rows of one box and one label each."""
    return tuple((label,) for label in labels)


def register(cls: type[QuestionType]) -> type[QuestionType]:
    cls.config_schema = {s.key: s.python_type for s in cls.settings}
    cls.required_config = tuple(s.key for s in cls.settings if s.required)
    REGISTRY[cls.name] = cls
    return cls


def types_where(test: Callable[[QuestionType], bool]) -> list[str]:
    """Names of the registered types that pass ``test`` (for queries by kind of question)."""
    return sorted(name for name, cls in REGISTRY.items() if test(cls()))


def get_type(name: str) -> QuestionType:
    try:
        return REGISTRY[name]()
    except KeyError:
        raise ValueError(f"Unknown question type {name!r}. "
                         f"Use one of: {', '.join(sorted(REGISTRY))}.") from None


def field_name(question, suffix: str = "") -> str:
    """Form field name for a question (and an optional part of it, e.g. its reason)."""
    return f"q-{question.key}" + (f"-{suffix}" if suffix else "")


_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


def whole_number(raw: str | None) -> int | None:
    """A plain whole number typed in ASCII digits (``"20"``, ``"-3"``), else None.

    ``str.isdigit`` accepts ``"²"`` and ``int`` refuses a 5,000-digit string: both would
    otherwise reach the person as a server error, not as a message they can act on.
    """
    raw = (raw or "").strip()
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else None


def clean_text(raw: str | None, limit: int, field: str, what: str) -> str | None:
    """Strip free text; refuse it (with a message) when longer than ``limit`` characters.

    Made storable first (``surveys.plain_text``), so online and kiosk answers are cleaned alike."""
    text = storable(raw or "").strip()
    if len(text) > limit:
        raise AnswerError(gettext("%(what)s must be %(limit)s characters or fewer", what=what, limit=limit),
                          field)
    return text or None


class QuestionType:
    name: ClassVar[str]
    #: Human name for the builder.
    title: ClassVar[str]
    #: The settings a question of this type may have (its config schema and builder form).
    settings: ClassVar[tuple[Setting, ...]] = ()
    #: Derived from ``settings`` by ``register``: allowed config keys and their Python types, and
    #: the keys that must be present.
    config_schema: ClassVar[dict[str, type | tuple]] = {}
    required_config: ClassVar[tuple[str, ...]] = ()
    #: Answers are summarised (counted) for facilitators, respondents and reports.
    summarised: ClassVar[bool] = True
    #: An answer may be the respondent's segment (patient, carer, …).
    can_segment: ClassVar[bool] = False
    #: A later page may be shown or not depending on the answer.
    can_route: ClassVar[bool] = False
    #: Answers may carry free text (listed with the written answers).
    may_have_text: ClassVar[bool] = False
    #: The free text, when analysed for themes, is a reason for a position on a scale.
    text_is_reason: ClassVar[bool] = False
    #: Answers are points (``points``, labelled by ``labels``) on a scale between two named poles
    #: (config ``left`` and ``right``): shown on the room display, in the theme matrix and reports.
    between_poles: ClassVar[bool] = False
    #: The question's markup is the same for everyone with the same values and errors (so it may
    #: be rendered once and kept); False for a type that draws what it shows at random.
    same_markup_for_same_values: ClassVar[bool] = True

    def check_config(self, config: Mapping) -> list[str]:
        """Problems with a question's config, in words an editor understands."""
        problems = []
        if not isinstance(config, Mapping):
            return [gettext("config must be a mapping of settings")]
        for key in config:
            if key not in self.config_schema:
                problems.append(gettext("unknown setting %(key)s for a %(type)s question "
                                        "(allowed: %(allowed)s)", key=repr(key), type=self.name,
                                        allowed=", ".join(self.config_schema) or gettext("none")))
        for key in self.required_config:
            if key not in config:
                problems.append(gettext("a %(type)s question needs the setting %(key)s", type=self.name,
                                        key=repr(key)))
        for key, expected in self.config_schema.items():
            if key in config and not isinstance(config[key], expected):
                problems.append(gettext("setting %(key)s has the wrong kind of value", key=repr(key)))
        for setting in self.settings:
            value = config.get(setting.key)
            if setting.kind == "int" and (isinstance(value, bool) or (
                    isinstance(value, int) and not 1 <= value <= MAX_SETTING_NUMBER)):
                problems.append(gettext("%(key)s must be a whole number from 1 to %(most)s",
                                        key=setting.key, most=f"{MAX_SETTING_NUMBER:,}"))
            if setting.kind == "line" and isinstance(value, str) and len(value) > MAX_LINE:
                problems.append(gettext("%(what)s must be %(limit)s characters or fewer", what=setting.key,
                                        limit=MAX_LINE))
            if setting.kind == "lines" and isinstance(value, list) and any(
                    isinstance(line, str) and len(line) > MAX_LABEL for line in value):
                problems.append(gettext("each of %(key)s must be %(most)s characters or fewer",
                                        key=setting.key, most=MAX_LABEL))
        return problems or self.check_values(config)

    def check_values(self, config: Mapping) -> list[str]:
        return []

    def parse(self, question, form: Mapping) -> Parsed:
        raise NotImplementedError

    def form_values(self, question, value, text) -> dict:
        """Values to pre-fill the form with, keyed by field name."""
        return {field_name(question): value}

    def anchor(self, question) -> str:
        """The id of the question's first control, where a link to the question leads (the Change
        links of "check your answers"): by default its field, or the first of its radios or boxes."""
        return field_name(question)

    def display(self, question, value, text) -> str:
        return "" if value is None else str(value)

    # Answered over several screens (e.g. one pair at a time): by default one screen says it all.
    def merge(self, question, old_value, parsed: Parsed) -> Parsed:
        """The answer to store, given the one already stored and what this screen added."""
        return parsed

    def asks_again(self, question, parsed: Parsed, merged: Parsed) -> bool:
        """The same page should be shown again for more of this answer (``parsed`` is what this
        screen gave, ``merged`` the whole answer so far)."""
        return False

    # A download of every response (surveys.response_export) gives each question a column with its
    # answer as the pages show it; a type adds columns a spreadsheet can sort, filter and add up.
    def extra_columns(self, question) -> list[str]:
        """What each of the question's further columns holds (its heading after the question's)."""
        return []

    def cells(self, question, value, text) -> list:
        """A stored answer in its download columns: as the pages show it, then one per extra column."""
        return [self.display(question, value, text)]

    # What it can do elsewhere.
    def analysed(self, question) -> bool:
        """Its free text goes to theme analysis."""
        return False

    def position(self, value) -> float | None:
        """A stored answer as a position on a scale (to measure opinion change), if it is one."""
        return None

    def poles(self, question) -> tuple[str, str] | None:
        """Names of the two ends of the scale (moving "towards" one or the other), if it has them."""
        return None

    # Summaries: ``surveys.summaries`` groups the stored answers by value in SQL and hands each
    # distinct value, with how many people gave it, to ``tally``; ``shape`` makes the rows shown.
    def summed_keys(self, question) -> list[str] | None:
        """Keys whose amounts SQL sums (instead of grouping by value), or None."""
        return None

    def tally(self, question, tally: Tally, value, n: int) -> None:
        """Count ``n`` people who gave ``value`` (as stored)."""
        if value is not None:
            tally.counts[str(value)] += n
            tally.answered += n

    def shape(self, question, tally: Tally) -> dict:
        """Rows of (label, count, share %) to show, and how many answered."""
        return {"answered": tally.answered, "rows": []}

    def readable(self, question, summary: dict) -> dict:
        """Everyone's ``summary`` (from ``shape``) for the public: ``people`` who answered, a
        ``summary`` sentence, ``rows`` (label, figure, people, bar %) for the chart and its data
        table, and the ``figure`` column's heading. By default: the share of people per answer,
        most common first, without the answers no one gave."""
        people = summary["answered"]
        rows = readable_counts([(row[0], row[1]) for row in summary["rows"]], people)
        return {"people": people, "rows": rows, "figure": gettext("Share of people"),
                "summary": most_common(rows, people)}

    def counted_answers(self, question) -> list[tuple[str, Any]] | None:
        """The answers a public results chart counts, one bar each, as (label, stored value), for a
        type whose answer is one or several of a fixed list; None (the default) when answers are
        not counted that way (an order, amounts, pairs judged, written words): the 'You said, we
        did' page does not chart those."""
        return None

    def on_paper(self, question) -> OnPaper:
        """How the question is laid out on the printable version, for a pen: by default, lines
        to write on."""
        return OnPaper(gettext("Write your answer on the lines."), after=(Written(lines=None),))

    def sample(self, question, context: SampleContext) -> Parsed:
        """A made-up answer for the demo."""
        return Parsed()

    # Wording in another language (see ``surveys.translations``).
    def texts(self, config: Mapping) -> dict[str, str]:
        """The words in a question's ``config`` that a respondent reads, in English, by path:
        ``"left"`` for a setting, ``"options.KEY"`` for an option's label, ``"labels.N"`` for the
        Nth line of a list. Each path can be given in another language (``put_texts``)."""
        return {}

    def put_texts(self, config: Mapping, texts: Mapping[str, str]) -> dict:
        """A copy of ``config`` with the words at the paths of ``texts`` replaced."""
        out = {k: ([dict(x) if isinstance(x, Mapping) else x for x in v] if isinstance(v, list) else v)
               for k, v in config.items()}
        for path, text in texts.items():
            head, _, tail = path.partition(".")
            value = out.get(head)
            if not tail:
                out[head] = text
            elif isinstance(value, list) and any(isinstance(x, Mapping) for x in value):
                for item in value:  # options, by key (a key may be digits: "options.1")
                    if isinstance(item, Mapping) and str(item.get("key")) == tail:
                        item["label"] = text
            elif isinstance(value, list) and tail.isdigit() and int(tail) < len(value):
                value[int(tail)] = text  # lines, by place
        return out

    def missing(self, question) -> AnswerError:
        return AnswerError(select_message(question.prompt), field_name(question))


def select_message(prompt: str) -> str:
    """An NHS-style error for a question left unanswered: say what to do, in the question's words
    where they allow it ("Which of these best describes you?" → "Select which of these best
    describes you", "Pa un…?" → "Dewiswch pa un…"), otherwise plainly ("Select an answer")."""
    words = prompt.strip().rstrip("?").strip()
    one_question = "?" not in words and "." not in words
    if words.lower().startswith("which ") and one_question:
        # In English, the question's own words; a translation says it its own way (the words of
        # the question may not be in that language).
        return gettext("Select %(which)s", which=words[0].lower() + words[1:])
    if words.lower().startswith("pa ") and one_question:
        # A question asked in Welsh ("Pa un o'r rhain…?") is answered on a Welsh page, so its own
        # words can be used as the English ones are: "Dewiswch pa un o'r rhain…".
        return "Dewiswch " + words[0].lower() + words[1:]
    return gettext("Select an answer")


def same_words(label: str) -> str:
    """What a label says, whatever its capitals or spaces: two options that say the same cannot be
    told apart by the person answering, nor by a reader of the results ("Patient" twice)."""
    return " ".join(str(label).split()).casefold()


def check_options(config: Mapping) -> list[str]:
    """Options are a list of {key, label} with unique lowercase keys and labels that differ."""
    options = config.get("options")
    problems = []
    if not isinstance(options, list) or not options:
        return [gettext("options must be a non-empty list")]
    seen = set()
    said: dict[str, int] = {}
    for i, option in enumerate(options, 1):
        if not isinstance(option, Mapping) or not option.get("key") or not option.get("label"):
            problems.append(gettext("option %(number)s needs a key and a label", number=i))
            continue
        key = str(option["key"])
        if not isinstance(option["label"], str):
            problems.append(gettext("option %(number)s: the label must be text", number=i))
            continue
        if len(option["label"]) > MAX_LABEL:
            problems.append(gettext("option %(number)s: the label must be %(most)s characters or fewer",
                                    number=i, most=MAX_LABEL))
        if not set(key) <= KEY_CHARS:
            problems.append(gettext("option key '%(key)s' may use only lowercase letters, digits and hyphens",
                                    key=key))
        if key in seen:
            problems.append(gettext("option key '%(key)s' is used twice", key=key))
        seen.add(key)
        words = same_words(option["label"])
        if words in said:
            problems.append(gettext("options %(first)s and %(second)s say the same ('%(label)s'): change "
                                    "the words so that people can tell them apart",
                                    first=said[words], second=i, label=option["label"]))
        said.setdefault(words, i)
    if len(options) > 30:
        problems.append(gettext("a question may have at most 30 options"))
    return problems


def option_texts(config: Mapping) -> dict[str, str]:
    """Options' labels by path (``options.KEY``), for ``QuestionType.texts``."""
    return {f"options.{o['key']}": o["label"] for o in config.get("options") or []
            if isinstance(o, Mapping) and o.get("key") and o.get("label")}


def setting_texts(config: Mapping, *keys: str) -> dict[str, str]:
    """The settings among ``keys`` that are words and are set, for ``QuestionType.texts``."""
    return {k: config[k] for k in keys if isinstance(config.get(k), str) and config[k]}


def option_keys(question) -> list[str]:
    return [str(o["key"]) for o in question.config.get("options", [])]


def per_option(question, value) -> list:
    """A value stored by option key (an amount, a place) in the order of the options; None where
    the answer gives that option none."""
    value = value if isinstance(value, dict) else {}
    return [value.get(k) for k in option_keys(question)]


def option_label(question, key) -> str:
    for option in question.config.get("options", []):
        if str(option["key"]) == key:
            return option["label"]
    return gettext(OTHER_LABEL) if key == OTHER_KEY else str(key)


OTHER_KEY = "other"
OTHER_LABEL = N_("Something else")


def share(part, whole) -> float:
    """``part`` as a percentage of ``whole``, to one decimal place (0 when there is no whole)."""
    return round(100 * part / whole, 1) if whole else 0.0


def counted_rows(tally: Tally, items) -> dict:
    """Rows of (label, people, share %) for ``items`` of (key, label)."""
    answered = tally.answered
    return {"answered": answered,
            "rows": [(label, tally.counts.get(k, 0), share(tally.counts.get(k, 0), answered))
                     for k, label in items]}


def whole_share(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is no whole), for the public."""
    return round(100 * part / whole) if whole else 0


def readable_counts(counts, people: int) -> list[dict]:
    """Readable rows of people per answer from (label, people) pairs: biggest first, without the
    answers no one gave."""
    kept = sorted(((label, n) for label, n in counts if n), key=lambda r: -r[1])
    return [{"label": label, "figure": f"{whole_share(n, people)}%", "people": n,
             "bar": whole_share(n, people)} for label, n in kept]


def most_common(rows: list[dict], people: int, several: bool = False) -> str:
    """The sentence that says the top row of ``readable_counts`` in words; every row tied at the
    top when several share it (naming only the first would say one won a draw)."""
    if not rows:
        return ""
    top = rows[0]
    tied = [row["label"] for row in rows if row["people"] == top["people"]]
    if len(tied) > 1:
        said = (gettext("Included equally often: %(answers)s (%(share)s of people each).",
                        answers=in_a_list(tied), share=top["figure"]) if several else
                gettext("Chosen equally often: %(answers)s (%(share)s of people each).",
                        answers=in_a_list(tied), share=top["figure"]))
    else:
        said = (gettext("Most often included: %(answer)s (%(share)s of people).", answer=top["label"],
                        share=top["figure"]) if several else
                gettext("Most common answer: %(answer)s (%(share)s of people).", answer=top["label"],
                        share=top["figure"]))
    return said + " " + ngettext("%(num)s person answered.", "%(num)s people answered.", people)
