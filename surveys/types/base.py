"""The question-type registry: one class per type, found by name.

Each type owns its config schema (``check_config``), how it reads a submitted page (``parse``),
how it puts a saved answer back into the form (``form_values``), how it reads on the check-answers
page (``display``) and how answers are summarised (``summarise``). Rendering is the template
``participate/types/<name>.html``. Adding a type is adding one module here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

REGISTRY: dict[str, type[QuestionType]] = {}
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
MAX_REASON = 1000


class AnswerError(ValueError):
    """An answer that cannot be accepted; ``message`` is shown to the person, next to ``field``."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Parsed:
    """What a person gave for one question: the typed value and any free text (reason, other)."""

    value: Any = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return self.value in (None, [], {}) and not self.text


def register(cls: type[QuestionType]) -> type[QuestionType]:
    REGISTRY[cls.name] = cls
    return cls


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
    """Strip free text; refuse it (with a message) when longer than ``limit`` characters."""
    text = (raw or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > limit:
        raise AnswerError(f"{what} must be {limit} characters or fewer", field)
    return text or None


class QuestionType:
    name: ClassVar[str]
    #: Human name for the builder.
    title: ClassVar[str]
    #: Allowed config keys and their Python types; ``required_config`` must be present.
    config_schema: ClassVar[dict[str, type | tuple]] = {}
    required_config: ClassVar[tuple[str, ...]] = ()

    def check_config(self, config: Mapping) -> list[str]:
        """Problems with a question's config, in words an editor understands."""
        problems = []
        if not isinstance(config, Mapping):
            return ["config must be a mapping of settings"]
        for key in config:
            if key not in self.config_schema:
                problems.append(f"unknown setting {key!r} for a {self.name} question "
                                f"(allowed: {', '.join(self.config_schema) or 'none'})")
        for key in self.required_config:
            if key not in config:
                problems.append(f"a {self.name} question needs the setting {key!r}")
        for key, expected in self.config_schema.items():
            if key in config and not isinstance(config[key], expected):
                problems.append(f"setting {key!r} has the wrong kind of value")
        return problems or self.check_values(config)

    def check_values(self, config: Mapping) -> list[str]:
        return []

    def parse(self, question, form: Mapping) -> Parsed:
        raise NotImplementedError

    def form_values(self, question, value, text) -> dict:
        """Values to pre-fill the form with, keyed by field name."""
        return {field_name(question): value}

    def display(self, question, value, text) -> str:
        return "" if value is None else str(value)

    def summarise(self, question, values: list) -> dict:
        return {"answered": sum(v is not None for v in values)}

    def missing(self, question) -> AnswerError:
        return AnswerError(select_message(question.prompt), field_name(question))


def select_message(prompt: str) -> str:
    """An NHS-style error for a question left unanswered: say what to do, in the question's words
    where they allow it ("Which of these best describes you?" → "Select which of these best
    describes you"), otherwise plainly ("Select an answer")."""
    words = prompt.strip().rstrip("?").strip()
    if words.lower().startswith("which ") and "?" not in words and "." not in words:
        return "Select " + words[0].lower() + words[1:]
    return "Select an answer"


def check_options(config: Mapping) -> list[str]:
    """Options are a list of {key, label} with unique lowercase keys."""
    options = config.get("options")
    problems = []
    if not isinstance(options, list) or not options:
        return ["options must be a non-empty list"]
    seen = set()
    for i, option in enumerate(options, 1):
        if not isinstance(option, Mapping) or not option.get("key") or not option.get("label"):
            problems.append(f"option {i} needs a key and a label")
            continue
        key = str(option["key"])
        if not set(key) <= KEY_CHARS:
            problems.append(f"option key {key!r} may use only lowercase letters, digits and hyphens")
        if key in seen:
            problems.append(f"option key {key!r} is used twice")
        seen.add(key)
    if len(options) > 30:
        problems.append("a question may have at most 30 options")
    return problems


def option_keys(question) -> list[str]:
    return [str(o["key"]) for o in question.config.get("options", [])]


def option_label(question, key) -> str:
    for option in question.config.get("options", []):
        if str(option["key"]) == key:
            return option["label"]
    return OTHER_LABEL if key == OTHER_KEY else str(key)


OTHER_KEY = "other"
OTHER_LABEL = "Something else"
