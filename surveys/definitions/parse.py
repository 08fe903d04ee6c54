"""Read and validate a definition, keeping the line each value came from for error messages."""

from __future__ import annotations

import yaml

from ..models import PAGE_KINDS
from ..translations import CONSULTATION_FIELDS, OTHER_LANGUAGES, PAGE_FIELDS, QUESTION_FIELDS, SOURCE
from ..types import REGISTRY, get_type, types_where
from ..types.base import KEY_CHARS
from . import languages

MAX_BYTES = 1_000_000
# A consultation nests about six deep (pages > questions > config > options > option); a parser
# that recurses per level fails long before 5,000, so depth and size are checked first, by a
# streaming pass that does not recurse.
MAX_DEPTH = 20
MAX_NODES = 50_000
MAX_PAGES = 100
MAX_QUESTIONS_PER_PAGE = 20
TOP_LEVEL = {"slug", "title", "summary", "audience", "languages", "consent_text", "retention_days",
             "show_results", "min_group_size", "pages", *OTHER_LANGUAGES}
PAGE_KEYS = {"key", "kind", "title", "body", "show_if", "questions", *OTHER_LANGUAGES}
QUESTION_KEYS = {"key", "type", "prompt", "hint", "required", "segment", "config", "repeat_of",
                 *OTHER_LANGUAGES}
#: Longest each text may be, in English and in translation.
LIMITS = {"title": 200, "summary": 2000, "audience": 300, "consent_text": 20000, "body": 20000,
          "prompt": 500, "hint": 1000}


class DefinitionError(ValueError):
    """The definition cannot be used; ``problems`` lists each one as "line N: what is wrong"."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (as the key ``__line__``)."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def parse_definition(text: str | bytes) -> dict:
    """Parse YAML or JSON text into a validated definition dict (``__line__`` keys removed)."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise DefinitionError([f"the file is larger than {MAX_BYTES // 1000} kB"])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DefinitionError(["the file is not UTF-8 text"]) from None
    if len(text) > MAX_BYTES:
        raise DefinitionError([f"the file is larger than {MAX_BYTES // 1000} kB"])
    try:
        _check_shape(text)
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise DefinitionError([f"{where}this is not valid YAML or JSON "
                               f"({getattr(exc, 'problem', None) or exc})"]) from None
    if not isinstance(data, dict):
        raise DefinitionError(["line 1: the file must describe one consultation (a mapping)"])
    problems: list[str] = []
    _check(data, problems)
    if problems:
        raise DefinitionError(problems)
    return _strip_lines(data)


def _check_shape(text: str) -> None:
    """Refuse text nested deeper than MAX_DEPTH or holding more than MAX_NODES values, counting
    each alias (``*name``) as the whole value it stands for, so that a few lines of aliases
    cannot expand into millions of values."""
    depth = nodes = 0
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, levels) of the value it names
    open_: list[list] = []  # per open collection: [anchor, values before it, deepest level inside]

    def refuse(event, problem):
        raise DefinitionError([f"line {event.start_mark.line + 1}: {problem}"])

    def reached(level, event):
        if level > MAX_DEPTH:
            refuse(event, f"the definition is nested more than {MAX_DEPTH} levels deep")
        if open_:
            open_[-1][2] = max(open_[-1][2], level)

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            reached(depth, event)
            open_.append([event.anchor, nodes, depth])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            anchor, before, deepest = open_.pop()
            if anchor:
                sizes[anchor] = (nodes - before, deepest - depth + 1)
            depth -= 1
            reached(deepest, event)
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                sizes[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            values, levels = sizes.get(event.anchor, (1, 0))
            nodes += values
            reached(depth + levels, event)
        if nodes > MAX_NODES:
            refuse(event, f"the definition has more than {MAX_NODES:,} values")


def _at(node) -> str:
    return f"line {node.get('__line__', '?')}: " if isinstance(node, dict) else ""


def _valid_key(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 80 and set(value) <= KEY_CHARS


def _text(node, key, problems, limit, required=True):
    value = node.get(key)
    if value is None:
        if required:
            problems.append(f"{_at(node)}{key} is missing")
        return
    if not isinstance(value, str):
        problems.append(f"{_at(node)}{key} must be text")
    elif len(value) > limit:
        problems.append(f"{_at(node)}{key} must be {limit} characters or fewer")


def _unknown(node, allowed, what, problems):
    for key in node:
        if key != "__line__" and key not in allowed:
            problems.append(f"{_at(node)}unknown {what} setting {key!r}")


def _check(data: dict, problems: list[str]) -> None:
    _unknown(data, TOP_LEVEL, "consultation", problems)
    if not _valid_key(data.get("slug")):
        problems.append(f"{_at(data)}slug must be lowercase letters, digits and hyphens")
    _text(data, "title", problems, 200)
    for key, limit in (("summary", 2000), ("audience", 300), ("consent_text", 20000)):
        _text(data, key, problems, limit, required=False)
    _check_languages(data, problems)
    languages.read(data, languages.english(data, CONSULTATION_FIELDS), LIMITS, problems)
    for key in ("retention_days", "min_group_size"):
        if key in data and (not isinstance(data[key], int) or isinstance(data[key], bool)
                            or data[key] < 1):
            problems.append(f"{_at(data)}{key} must be a whole number of 1 or more")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        problems.append(f"{_at(data)}pages must be a list with at least one page")
        return
    if len(pages) > MAX_PAGES:
        problems.append(f"{_at(data)}a consultation may have at most {MAX_PAGES} pages")
    page_keys: set[str] = set()
    questions: dict[str, dict] = {}
    segments = 0
    for page in pages:
        if not isinstance(page, dict):
            problems.append(f"{_at(data)}every page must be a mapping")
            continue
        _unknown(page, PAGE_KEYS, "page", problems)
        if not _valid_key(page.get("key")):
            problems.append(f"{_at(page)}page key must be lowercase letters, digits and hyphens")
        elif page["key"] in page_keys:
            problems.append(f"{_at(page)}page key {page['key']!r} is used twice")
        page_keys.add(page.get("key"))
        _text(page, "title", problems, 200)
        if page.get("kind") not in PAGE_KINDS:
            problems.append(f"{_at(page)}kind must be one of {', '.join(PAGE_KINDS)}")
        _check_show_if(page, questions, problems)
        languages.read(page, languages.english(page, PAGE_FIELDS), LIMITS, problems)
        if page.get("kind") == "briefing":
            _text(page, "body", problems, 20000)
            if page.get("questions"):
                problems.append(f"{_at(page)}a briefing page has no questions")
            continue
        qs = page.get("questions")
        if not isinstance(qs, list) or not qs:
            problems.append(f"{_at(page)}a questions page needs at least one question")
            continue
        if len(qs) > MAX_QUESTIONS_PER_PAGE:
            problems.append(f"{_at(page)}a page may have at most {MAX_QUESTIONS_PER_PAGE} questions")
        for q in qs:
            if not isinstance(q, dict):
                problems.append(f"{_at(page)}every question must be a mapping")
                continue
            segments += bool(q.get("segment"))
            _check_question(q, questions, problems)
            if _valid_key(q.get("key")):
                questions[q["key"]] = q
    if segments > 1:
        problems.append(f"{_at(data)}only one question may be the segment question")


def _check_question(q: dict, earlier: dict, problems: list[str]) -> None:
    _unknown(q, QUESTION_KEYS, "question", problems)
    if not _valid_key(q.get("key")):
        problems.append(f"{_at(q)}question key must be lowercase letters, digits and hyphens")
    elif q["key"] in earlier:
        problems.append(f"{_at(q)}question key {q['key']!r} is used twice")
    _text(q, "prompt", problems, 500)
    _text(q, "hint", problems, 1000, required=False)
    if q.get("type") not in REGISTRY:
        problems.append(f"{_at(q)}type must be one of {', '.join(sorted(REGISTRY))}")
        return
    config = languages.without_translations(_strip_lines(q.get("config") or {}))
    config_problems = get_type(q["type"]).check_config(config)
    problems.extend(f"{_at(q)}{p}" for p in config_problems)
    if not config_problems:
        languages.read(q, languages.english(q, QUESTION_FIELDS, config), LIMITS, problems,
                       q.get("config") or {})
    if q.get("segment") and not get_type(q["type"]).can_segment:
        problems.append(f"{_at(q)}the segment question must be a choice question")
    ref = q.get("repeat_of")
    if ref is not None:
        original = earlier.get(ref)
        if original is None:
            problems.append(f"{_at(q)}repeat_of {ref!r} must name an earlier question")
        elif original.get("type") != q["type"]:
            problems.append(f"{_at(q)}a repeated question must have the same type as {ref!r}")


def _check_languages(data: dict, problems: list[str]) -> None:
    offered = data.get("languages", [SOURCE])
    known = [SOURCE, *OTHER_LANGUAGES]
    if (not isinstance(offered, list) or SOURCE not in offered
            or not set(offered) <= set(known) or len(set(offered)) < len(offered)):
        problems.append(f"{_at(data)}languages must list {SOURCE!r}, and may add "
                        f"{', '.join(repr(k) for k in OTHER_LANGUAGES)}, like [en, cy]")


def _check_show_if(page: dict, earlier: dict, problems: list[str]) -> None:
    rule = page.get("show_if")
    if rule is None:
        return
    if not isinstance(rule, dict) or set(rule) - {"question", "in", "__line__"}:
        problems.append(f"{_at(page)}show_if must be {{question: KEY, in: [answers]}}")
        return
    q = earlier.get(rule.get("question"))
    if q is None or q.get("type") not in types_where(lambda t: t.can_route):
        problems.append(f"{_at(page)}show_if must name an earlier choice question")
        return
    keys = {str(o.get("key")) for o in (q.get("config") or {}).get("options", [])} | {"other"}
    values = rule.get("in")
    if not isinstance(values, list) or not values or not set(map(str, values)) <= keys:
        problems.append(f"{_at(page)}show_if 'in' must list answers of {rule['question']!r}")


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value
