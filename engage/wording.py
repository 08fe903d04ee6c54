"""Small wording rules shared by templates and flash messages, so copy follows NHS content style
the same way everywhere (registered as Jinja filters by the participate blueprint)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

PRIVACY_NOTE = _l("Do not include names or other personal details.")


def prompt_label(question) -> str:
    """A question's prompt as its label: optional questions say so; required ones are unmarked
    (the consultation says so), the NHS.UK and GOV.UK pattern. (Markup keeps a prompt left in
    English on a Welsh page marked as English.)"""
    if question.required:
        return question.prompt
    return Markup(_("%(prompt)s (optional)")) % {"prompt": question.prompt}  # noqa: S704 - our catalog


def with_privacy_note(hint: str | None) -> str:
    """A written answer's hint, ending with the reminder not to give personal details, once."""
    text = str(hint or "").strip()
    if "personal details" in text.lower() or _("personal details") in text.lower():
        return hint
    return Markup("{} {}").format(hint, PRIVACY_NOTE) if text else PRIVACY_NOTE


def full_stop(text: str) -> str:
    """``text`` ending a sentence: a full stop unless it already ends with ., ? or !

    Words that print as HTML (left in English on a Welsh page, so marked) keep their mark, and
    are judged by their words, not by the closing tag."""
    if hasattr(text, "__html__"):
        html = escape(text)  # its own HTML (escape calls __html__)
        return text if html.striptags().endswith((".", "?", "!")) else html + "."
    text = (text or "").rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


FILTERS = {"prompt_label": prompt_label, "with_privacy_note": with_privacy_note, "full_stop": full_stop}
