"""The base of our forms: WTForms' own messages said in our words, from our catalogue.

WTForms words a few messages itself ("Not a valid integer value.", "This field is required."…),
shown when a form gives none of its own. Its Welsh catalogue leaves some empty (they appear in
English on a Welsh page) and says others in words a person does not follow ("Gwerth integer
annilys"). So each of its messages has our wording here, translated with the rest of the interface
(``engage/translations``): a test checks that every message WTForms has is here and in Welsh.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import g, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF, generate_csrf
from wtforms import PasswordField, StringField

from surveys.plain_text import storable

from .fragments import BoundedCache
from .i18n import request_translations


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a message for the catalogue; translated when shown (WTForms asks for it then)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """A message with a count, in the page's language; WTForms puts the count in itself."""
    return request_translations().ungettext(singular, plural, n)


#: WTForms' message (its msgid) → ours.
BUILT_IN: dict[str, str] = {
    "Not a valid integer value.": N_("Enter a whole number, like 5"),
    "Not a valid decimal value.": N_("Enter a number, like 5 or 2.5"),
    "Not a valid float value.": N_("Enter a number, like 5 or 2.5"),
    "Not a valid date value.": N_("Enter a real date, like 2027-03-31"),
    "Not a valid datetime value.": N_("Enter a real date and time, like 2027-03-31 14:30"),
    "Not a valid time value.": N_("Enter a real time, like 14:30"),
    "Not a valid week value.": N_("Enter a real week, like 2027-W13"),
    "Not a valid choice.": N_("Choose one of the answers given"),
    "Invalid Choice: could not coerce.": N_("Choose one of the answers given"),
    "Invalid choice(s): one or more data inputs could not be coerced.": N_("Choose from the answers given"),
    "'%(value)s' is not a valid choice for this field.": N_("Choose from the answers given"),
    "Choices cannot be None.": N_("Choose from the answers given"),
    "This field is required.": N_("This cannot be left empty"),
    "This field cannot be edited.": N_("This cannot be changed"),
    "This field is disabled and cannot have a value.": N_("This cannot be changed"),
    "Invalid input.": N_("Check what you entered"),
    "Invalid email address.": N_("Enter an email address in the correct format, like name@nhs.net"),
    "Invalid URL.": N_("Enter a web address, like https://www.nhs.uk"),
    "Invalid IP address.": N_("Enter an IP address, like 192.0.2.1"),
    "Invalid Mac address.": N_("Enter a MAC address, like 00:1a:2b:3c:4d:5e"),
    "Invalid UUID.": N_("Check the code you entered"),
    "Invalid value, must be one of: %(values)s.": N_("Enter one of these: %(values)s"),
    "Invalid value, can't be any of: %(values)s.": N_("Enter something other than: %(values)s"),
    "Invalid field name '%s'.": N_("Check what you entered"),
    "Field must be equal to %(other_name)s.": N_("This must be the same as %(other_name)s"),
    "Field must be between %(min)d and %(max)d characters long.": N_("Enter %(min)d to %(max)d characters"),
    "Number must be at least %(min)s.": N_("Enter %(min)s or more"),
    "Number must be at most %(max)s.": N_("Enter %(max)s or less"),
    "Number must be between %(min)s and %(max)s.": N_("Enter a number from %(min)s to %(max)s"),
    "Date must be at least %(min)s.": N_("Enter a date on or after %(min)s"),
    "Date must be at most %(max)s.": N_("Enter a date on or before %(max)s"),
    "Date must be between %(min)s and %(max)s.": N_("Enter a date from %(min)s to %(max)s"),
    # WTForms' own CSRF (Flask-WTF checks the token before a view; these are here to be complete).
    "Invalid CSRF Token.": N_("This page was open too long. Reload the page and try again"),
    "CSRF token missing.": N_("This page was open too long. Reload the page and try again"),
    "CSRF failed.": N_("This page was open too long. Reload the page and try again"),
    "CSRF token expired.": N_("This page was open too long. Reload the page and try again"),
}

#: WTForms' messages with a count (by their singular msgid) → ours, given the count.
PLURAL: dict[str, Callable[[int], str]] = {
    "Field must be at least %(min)d character long.": lambda n: ngettext(
        "Enter at least %(min)d character", "Enter at least %(min)d characters", n),
    "Field cannot be longer than %(max)d character.": lambda n: ngettext(
        "Enter %(max)d character or fewer", "Enter %(max)d characters or fewer", n),
    "Field must be exactly %(max)d character long.": lambda n: ngettext(
        "Enter exactly %(max)d character", "Enter exactly %(max)d characters", n),
}


class FormWords:
    """What WTForms asks a form's ``Meta`` for: its messages, in our words and the page's language."""

    def gettext(self, string: str) -> str:
        ours = BUILT_IN.get(string)
        # Not one of WTForms' messages: one of ours, already translated.
        return string if ours is None else request_translations().ugettext(ours)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in PLURAL:
            return PLURAL[singular](n)
        if singular in BUILT_IN:  # one wording whatever the count ("choose from the answers given")
            return self.gettext(singular)
        return singular if n == 1 else plural


WORDS = FormWords()


#: Signed CSRF tokens by (secret, the session's own token, minute): see ``_ReusedToken``.
_SIGNED = BoundedCache(4096)


class _ReusedToken(_FlaskFormCSRF):
    """The form's CSRF token signed once a minute per session, not on every page.

    Flask-WTF signs the session's token afresh, with the time, for every page with a form: the
    largest part of building a form (about 5% of a question page's CPU under load,
    ``benchmarks/load.py``). A page in the same minute of the same session is given the token
    already signed. It is as valid, for the same session, and expires at most a minute sooner
    than a fresh one would (``WTF_CSRF_TIME_LIMIT``: 8 hours). A session's first token is made
    by Flask-WTF as before. (``_FlaskFormCSRF`` is Flask-WTF's own form CSRF class, the one to
    extend for this; tests/engage/participate/test_signed_once.py checks the tokens it gives.)
    """

    def generate_csrf_token(self, csrf_token_field):
        secret, name = self.meta.csrf_secret, self.meta.csrf_field_name
        raw = session.get(name)
        if name in g or not isinstance(raw, str):
            return super().generate_csrf_token(csrf_token_field)
        token = _SIGNED.get_or_make((secret, raw, int(time.time() // 60)),
                                    lambda: generate_csrf(secret_key=secret, token_key=name))
        setattr(g, name, token)  # what Flask-WTF keeps for the rest of the request
        return token


def _storable(value):
    return storable(value) if isinstance(value, str) else value


class Form(FlaskForm):
    """A Flask-WTF form whose built-in messages are ours (``BUILT_IN``), in the page's language,
    and whose text fields hold only storable text (``surveys.plain_text``: a control character
    pasted into a title stopped the Word report being written). Passwords are taken as typed."""

    class Meta:
        csrf_class = _ReusedToken

        def get_translations(self, form):
            return WORDS

        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), _storable)
            return unbound_field.bind(form=form, **options)
