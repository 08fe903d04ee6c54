"""WTForms' own messages ("Not a valid integer value.") are said in our words, in the page's language."""

from __future__ import annotations

from pathlib import Path

import wtforms
from babel.messages.pofile import read_po
from flask_babel import force_locale
from wtforms.fields import IntegerField

from engage.forms import BUILT_IN, PLURAL, WORDS, Form

from .i18n.test_catalog import PO

WTFORMS_POT = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"


def test_every_message_wtforms_has_is_ours_and_in_welsh():
    """A WTForms upgrade that adds a message fails here until it has our words and their Welsh."""
    with WTFORMS_POT.open("rb") as f:
        theirs = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert theirs == set(BUILT_IN) | set(PLURAL)
    with PO.open("rb") as f:
        welsh = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(f, locale="cy")}
    for ours in BUILT_IN.values():
        assert welsh.get(ours), ours


class _Form(Form):
    class Meta:
        csrf = False

    number = IntegerField("Number")


def test_a_form_says_wtforms_messages_in_our_words(app):
    for lang, expected in (("en", "Enter a whole number, like 5"), ("cy", "Rhowch rif cyfan, fel 5")):
        with app.test_request_context(method="POST", data={"number": "five"}), force_locale(lang):
            form = _Form()
            assert not form.validate()
            assert form.number.errors == [expected]
    with app.test_request_context(), force_locale("cy"):
        longer = WORDS.ngettext("Field cannot be longer than %(max)d character.",
                                "Field cannot be longer than %(max)d characters.", 3)
        assert longer % {"max": 3} == "Rhowch 3 nod neu lai"
        assert WORDS.gettext("Enter the question") == "Enter the question"  # ours: left as it is
