"""NHS.UK frontend wiring: the Jinja port's macros, and WTForms fields mapped to macro params.

Templates call the ``nhsuk-frontend-jinja`` macros; the helpers here only translate a WTForms
field (label, hint, value, errors) into the ``params`` dict those macros take, so templates stay short.
"""

from __future__ import annotations

from collections import ChainMap

from flask import Flask, current_app
from flask.templating import Environment
from flask_babel import gettext
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
)
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from . import fragments


class _Globals(ChainMap):
    """A template's globals whose key set is computed once (until a global is added).

    Every macro of the NHS.UK port imports its sub-templates on each call, and each import
    compares the caller's global names with the imported template's (``globals.keys()``); on a
    plain ChainMap that rebuilds the set of names each time, some 125 times per page.
    """

    _keys = None

    def keys(self):
        sizes = tuple(len(m) for m in self.maps)
        if self._keys is None or self._keys[0] != sizes:
            self._keys = (sizes, frozenset(ChainMap.keys(self)))
        return self._keys[1]


class NHSEnvironment(Environment):
    """Flask's Jinja environment with globals cheap to compare (rendered output is the same)."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def init_app(app: Flask, template_folder: str) -> None:
    # The port needs ChainableUndefined (params.a.b on missing keys) and its own package loader.
    # Its templates end in .jinja, which Flask would not autoescape: escape them too (the port
    # marks its html params "| safe" itself), or a respondent's words would be output raw.
    # The template cache is a plain dict (cache_size=-1): the templates are a fixed set of files,
    # and the default LRU cache takes a lock and reorders a queue on every macro's import.
    # Compiled templates are kept on disk (a private folder in the temp directory, each file checked
    # against its template's source), so a new or recycled worker's first pages take ~20 ms of CPU
    # rather than ~190 ms compiling the port's macros again. Templates never reload unless debugging.
    app.jinja_environment = NHSEnvironment
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined,
                         "autoescape": _autoescape, "cache_size": -1,
                         "bytecode_cache": _bytecode_cache(app)}
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(template_folder), PackageLoader("nhsuk_frontend_jinja")]
    )
    fragments.init_app(app)
    app.jinja_env.globals.update(
        field_params=field_params, choice_items=choice_items, error_summary_items=error_summary_items,
        option_items=option_items, select_items=select_items, body_attributes=body_attributes,
        csrf_field=csrf_field,
    )


def csrf_field(form) -> Markup:
    """``form.csrf_token`` as WTForms draws it (its hidden input; nothing with CSRF checks off),
    written here: the widget's way costs about as much as the rest of a question page's form."""
    field = getattr(form, "csrf_token", None)
    if field is None:
        return Markup("")
    return Markup('<input id="{}" name="{}" type="hidden" value="{}">').format(
        field.id, field.name, field.current_token)


def body_attributes():
    """The shell's ``bodyAttributes``: the words the small scripts write, in the page's language
    (``data-engage-words``), made into markup once per language and kept (engage/fragments.py)."""
    from .i18n import script_words

    def make():
        env = current_app.jinja_env  # as the tojson filter does it
        words = htmlsafe_json_dumps(script_words(), dumps=env.policies["json.dumps_function"],
                                    **env.policies["json.dumps_kwargs"])
        return shell_attributes({"data-engage-words": words})

    return fragments.kept("body attributes", make)


def shell_attributes(attributes: dict):
    """``attributes`` (for the shell's ``htmlAttributes``/``bodyAttributes``) as the markup the
    port's ``nhsukAttributes`` macro makes of them, in the form it passes through unchanged (a
    string: the macro writes its own leading whitespace, then the string), so that markup can be
    kept and the macro's loop not run on every page. The page is the same byte for byte; should a
    version of the port not work this way, the mapping itself is given back."""
    macro = current_app.jinja_env.get_template("nhsuk/macros/attributes.jinja").module.nhsukAttributes
    full, lead = macro(attributes), macro(Markup(""))
    passed = Markup(full[len(lead):])  # noqa: S704 - the port's own escaped markup
    return passed if full.startswith(lead) and macro(passed) == full else attributes


def _bytecode_cache(app: Flask) -> FileSystemBytecodeCache | None:
    if not app.config.get("TEMPLATE_BYTECODE_CACHE", True):
        return None
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private temp folder to be had: compile in memory
        return None


def _autoescape(name: str | None) -> bool:
    return name is None or name.endswith((".html", ".jinja", ".xml", ".svg"))


def _error(field) -> dict | None:
    # The hidden "Error:" before the message, in the page's language.
    return {"text": field.errors[0], "visuallyHiddenText": gettext("Error")} if field.errors else None


def field_params(field, label=None, hint=None, classes="", is_page_heading=False, **extra) -> dict:
    """Params for nhsuk input/textarea/characterCount/select macros from a WTForms field."""
    label_text = label if label is not None else field.label.text
    params = {
        "id": field.id,
        "name": field.name,
        "label": {"text": label_text, "isPageHeading": is_page_heading,
                  "size": "l" if is_page_heading else None},
        "hint": {"text": hint or field.description} if (hint or field.description) else None,
        "errorMessage": _error(field),
        "value": field._value() if hasattr(field, "_value") else field.data,
        "classes": classes,
    }
    params.update(extra)
    return params


def choice_items(field, hints: dict | None = None, languages: dict | None = None) -> list[dict]:
    """Items for nhsuk radios/checkboxes from a (Multi)SelectField or RadioField; ``languages``
    marks the labels written in another language than the page's (value -> "en")."""
    data = field.data
    selected = {str(v) for v in data} if isinstance(data, list | tuple | set) else {str(data)}
    hints, languages = hints or {}, languages or {}
    return [
        {
            "value": value,
            "text": text,
            "label": {"text": text, "attributes": {"lang": languages[value]}} if languages.get(value)
            else None,
            "checked": str(value) in selected,
            "hint": {"text": hints[value]} if value in hints else None,
        }
        for value, text in field.choices
    ]


def error_summary_items(form) -> list[dict]:
    """Error summary links: one per field error, pointing at the field (NHS.UK pattern)."""
    items = []
    for field in form:
        for message in field.errors:
            items.append({"text": message, "href": getattr(field, "error_href", None) or f"#{field.id}"})
            break
    return items


def option_items(pairs, current, conditional: dict | None = None) -> list[dict]:
    """Radio/checkbox items from (value, text) pairs; ``current`` is a value or a list of them.

    ``conditional`` maps a value to HTML revealed when that item is chosen ("other, please say").
    """
    chosen = {str(v) for v in current} if isinstance(current, list | tuple) else (
        set() if current in (None, "") else {str(current)})
    conditional = conditional or {}
    return [{"value": str(v), "text": t, "checked": str(v) in chosen,
             "conditional": {"html": conditional[str(v)]} if str(v) in conditional else None}
            for v, t in pairs]


def select_items(pairs, current) -> list[dict]:
    """Select options from (value, text) pairs with the current value selected."""
    current = "" if current is None else str(current)
    return [{"value": str(v), "text": str(t), "selected": str(v) == current} for v, t in pairs]
