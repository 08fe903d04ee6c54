"""Wording in other languages in a definition file, as people write it, and as it is stored.

In a file, a ``cy:`` block sits beside the English it translates, on the consultation, a page or
a question; a question's block may also give its type's words (``left``, ``right``, ``unit``, a
list of ``labels``…), and each option carries its own ``cy:`` label::

    prompt: Who are you?
    cy:
      prompt: Pwy ydych chi?
    config:
      options:
        - {key: patient, label: A patient, cy: Claf}

Stored, the same words are ``{"cy": {"prompt": "Pwy ydych chi?", "options.patient": "Claf"}}``
(see ``surveys.translations``). ``read`` and ``write`` turn one into the other, exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..translations import OTHER_LANGUAGES
from ..types import REGISTRY, get_type
from ..wording import N_, gettext

#: Longest translation of a type's word (an option, a pole, a label) in a file.
MAX_WORDS = 500


def _problem(node, msgid: str, **params):
    """``msgid`` about ``node`` of the file, on its line (see ``parse.FileProblem``)."""
    from .parse import FileProblem

    return FileProblem(node.get("__line__", "?") if isinstance(node, Mapping) else None, msgid, **params)


def english(node: Mapping, fields: tuple[str, ...], config: Mapping | None = None) -> dict[str, str]:
    """The English texts of a consultation, page or question in a file, by path (a question's
    ``config`` adds the words its type names)."""
    texts = {f: node[f] for f in fields if isinstance(node.get(f), str) and node[f]}
    if config is not None and node.get("type") in REGISTRY:
        texts.update(get_type(node["type"]).texts(without_translations(config)))
    return texts


def read(node: Mapping, english: Mapping[str, str], limits: Mapping[str, int],
         problems: list[str], config: Mapping | None = None) -> dict:
    """The stored translations of a consultation, page or question written as ``node`` in a file.

    ``english`` is the node's texts by path (what may be translated), ``limits`` the longest each
    field may be. Problems are added in plain words, with the line they are on (read in the
    reader's language: each names the other language and the text in it)."""
    out: dict[str, dict[str, str]] = {}
    for language, name in OTHER_LANGUAGES.items():
        texts: dict[str, str] = {}
        block = node.get(language)
        if block is not None and not isinstance(block, Mapping):
            problems.append(_problem(node, N_("%(language)s must be a list of %(name)s texts, like "
                                              "'%(language)s: {title: ...}'"),
                                     language=language, name=gettext(name)))
            block = None
        for key, value in (block or {}).items():
            if key == "__line__":
                continue
            if isinstance(value, list):
                texts.update({f"{key}.{i}": t for i, t in enumerate(value) if t != ""})
            else:
                texts[key] = value
        for setting, value in (config or {}).items():
            for option in value if isinstance(value, list) else []:
                if isinstance(option, Mapping) and language in option:
                    texts[f"{setting}.{option.get('key')}"] = option[language]
        for path, text in texts.items():
            where = block if path in (block or {}) else node
            if path not in english:
                problems.append(_problem(where, N_("the %(name)s %(text)s translates nothing: there is "
                                                   "no English %(text)s here"),
                                         name=gettext(name), text=_named(path)))
            elif not isinstance(text, str) or not text.strip():
                problems.append(_problem(where, N_("the %(name)s %(text)s must be words"),
                                         name=gettext(name), text=_named(path)))
            elif len(text) > limits.get(path.partition(".")[0], MAX_WORDS):
                problems.append(_problem(where, N_("the %(name)s %(text)s must be %(limit)s characters "
                                                   "or fewer"), name=gettext(name), text=_named(path),
                                         limit=limits.get(path.partition(".")[0], MAX_WORDS)))
        if texts:
            out[language] = texts
    return out


def _named(path: str) -> str:
    """A text's path in words: "options.staff" -> "label of option 'staff'"."""
    head, _, tail = path.partition(".")
    if not tail:
        return head
    if tail.isdigit():
        return gettext("line %(number)s of %(key)s", number=int(tail) + 1, key=head)
    return gettext("label of option %(key)s", key=repr(tail))


def without_translations(config: Mapping) -> dict:
    """A question's config as stored: the options' ``cy:`` labels taken out."""
    return {k: ([{ok: ov for ok, ov in o.items() if ok not in OTHER_LANGUAGES}
                 if isinstance(o, Mapping) else o for o in v] if isinstance(v, list) else v)
            for k, v in config.items()}


def write(node: dict, translations: Mapping, english: Mapping[str, str], config: dict | None = None) -> None:
    """Put stored ``translations`` into ``node`` (and its ``config``), as a file writes them; only
    those of texts it still has in ``english`` (an option since removed takes its Welsh with it)."""
    for language in OTHER_LANGUAGES:
        block: dict = {}
        for path, text in sorted((translations or {}).get(language, {}).items()):
            if path not in english:
                continue
            head, _, tail = path.partition(".")
            value = (config or {}).get(head)
            if not tail:
                block[head] = text
            elif isinstance(value, list) and tail.isdigit() and not _keyed(value):
                block.setdefault(head, [""] * len(value))[int(tail)] = text
            elif isinstance(value, list):
                for option in value:
                    if isinstance(option, dict) and str(option.get("key")) == tail:
                        option[language] = text
        if block:
            node[language] = block


def _keyed(items: list) -> bool:
    return any(isinstance(x, Mapping) for x in items)
