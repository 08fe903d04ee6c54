"""Languages: which one a person sees (English or Welsh), and how they choose it.

A person picks a language with ``?lang=cy`` on any page (the switcher's links); the choice is kept
in their session so it follows them through the journey; a respondent's forms and the links they take
elsewhere (their link to carry on) carry it too, for a browser whose session has run out. Without a
choice the page is in English: NHS Wales services offer Welsh by a visible switch rather than
guessing from the browser.

Interface words are marked with ``_()``/``{% trans %}`` and translated by Flask-Babel from
``engage/translations`` (see the README's "Translations"); words made in ``surveys`` (which has no
Flask) are translated here too, when they are shown (``surveys.wording``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, format_date, get_locale, get_translations
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from surveys import wording

#: Languages the interface is written in, by locale code, each named in its own language.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"

babel = Babel()


def select_language() -> str:
    if not has_request_context():  # a background job (email): English unless it says otherwise
        return DEFAULT
    # ``?lang=`` on this request first: the kiosk's requests carry no cookie, only the address.
    chosen = request.args.get("lang")
    if not chosen and not _from_address():
        chosen = session.get("lang") or _language_sent()
    return chosen if chosen in LANGUAGES else DEFAULT


def from_address(view):
    """Mark a view whose page takes its language from its address alone, and never keeps a choice
    in the session: a shared tablet's kiosk holds its own language (``static/js/kiosk.js``), and a
    cookie would carry one person's choice to the next."""
    view.language_from_address = True
    return view


def _from_address() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "language_from_address", False)


def _language_sent() -> str | None:
    """The language of the page a form was sent from (its ``language_field``), for a browser
    that no longer holds the person's choice: after hours away its session, the choice with it,
    has run out, and the page answering the form should be in the language they were reading."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return None
    try:
        return request.form.get("lang")
    except HTTPException:  # a form too big to read: its error page is in the default language
        return None


def language_field() -> Markup:
    """A form's hidden field naming the page's language (nothing on an English page)."""
    language = current_language()
    if language == DEFAULT:
        return Markup("")
    return Markup('<input type="hidden" name="lang" value="{}">').format(language)


def language_args() -> dict:
    """``url_for`` arguments that open an address in the page's language: for a link the person
    takes elsewhere (another phone, an email), where their choice is not known."""
    language = current_language()
    return {} if language == DEFAULT else {"lang": language}


def _chosen_locale():
    """flask-babel's locale for this request once it has chosen one (``force_locale`` sets it too),
    found with one look at ``g`` where ``get_locale()`` takes several; None before it has chosen."""
    try:
        return g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, or outside an app context
        return None


def current_language() -> str:
    """The active language's code ("en" or "cy")."""
    return str(_chosen_locale() or get_locale() or DEFAULT)


def request_translations():
    """The catalog ``get_translations()`` gives, kept on the request's flask-babel context with
    the locale it belongs to (each template ``_()`` otherwise looks the locale up again)."""
    locale = _chosen_locale()
    if locale is None:
        return get_translations()
    ctx = g._flask_babel
    kept = getattr(ctx, "engage_translations", None)
    if kept is None or kept[0] is not locale:
        kept = ctx.engage_translations = (locale, get_translations())
    return kept[1]


def _remember_choice() -> None:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and session.get("lang") != chosen and not _from_address():
        session["lang"] = chosen


def _remember_language_sent(response):
    """A form sent in a language this browser had forgotten (see ``_language_sent``): kept again,
    so that the pages after it (starting again, say) are in that language too. After the response
    is made, as a form refused before any view ran (an expired CSRF token) is answered too."""
    if "lang" not in session and "lang" not in request.args:
        sent = _language_sent()
        if sent in LANGUAGES and sent != DEFAULT:
            session["lang"] = sent
    return response


def switch_to(offered=None, path: str | None = None) -> dict | None:
    """The language switcher's link: the other language, on this same page (``?lang=``), or at
    ``path`` (a page shown in answer to a form sent, which a link cannot send again).

    ``offered`` is the languages the page's content comes in (a consultation's ``languages``);
    on such pages the switch is shown only when the other language is one of them.
    """
    other = "en" if current_language() == "cy" else "cy"
    if offered is not None and other not in offered and other != DEFAULT:
        return None
    if path is not None:
        return {"lang": other, "text": LANGUAGES[other], "href": f"{path}?{urlencode({'lang': other})}"}
    args = {**request.args.to_dict(), "lang": other}
    return {"lang": other, "text": LANGUAGES[other], "href": f"{request.path}?{urlencode(args)}"}


# The CLDR plural categories each language's JavaScript asks for, with a count that falls in each
# (the NHS.UK character count picks its message with Intl.PluralRules).
_PLURAL_SAMPLES = {"en": {"one": 1, "other": 2},
                   "cy": {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4}}


def js_plural(singular: str, plural: str) -> dict:
    """A message by plural category for NHS.UK's JavaScript (``%{count}`` left for it to fill)."""
    translations = request_translations()
    return {category: translations.ungettext(singular, plural, n)
            for category, n in _PLURAL_SAMPLES.get(current_language(), _PLURAL_SAMPLES["en"]).items()}


def error_message(text) -> dict | None:
    """The NHS.UK ``errorMessage`` param for ``text`` (None without one), its hidden "Error:"
    prefix in the page's language."""
    return {"text": text, "visuallyHiddenText": _("Error")} if text else None


def with_count_texts(params: dict) -> dict:
    """A characterCount macro's params with its words (under, at, over the limit) translated."""
    return {
        **params,
        "textareaDescriptionText": _("You can enter up to %{count} characters"),
        "charactersUnderLimitText": js_plural("You have %{count} character remaining",
                                              "You have %{count} characters remaining"),
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": js_plural("You have %{count} character too many",
                                             "You have %{count} characters too many"),
    }


def password_texts() -> dict:
    """The NHS.UK password input's words (show, hide, and what a screen reader is told)."""
    return {"showPasswordText": _("Show"), "hidePasswordText": _("Hide"),
            "showPasswordAriaLabelText": _("Show password"), "hidePasswordAriaLabelText": _("Hide password"),
            "passwordShownAnnouncementText": _("Your password is visible"),
            "passwordHiddenAnnouncementText": _("Your password is hidden")}


def file_upload_texts() -> dict:
    """The NHS.UK file upload's words (its button, what it says before and after a choice, and
    what a screen reader is told about dropping a file)."""
    return {"chooseFilesButtonText": _("Choose file"), "noFileChosenText": _("No file chosen"),
            "multipleFilesChosenText": js_plural("%{count} file chosen", "%{count} files chosen"),
            "dropInstructionText": _("or drop file"), "enteredDropZoneText": _("Entered drop zone"),
            "leftDropZoneText": _("Left drop zone")}


#: The clocks an NHS team in England or Wales reads: GMT in winter, BST (GMT+1) in summer. The
#: rules come from the system's zone files or, where it has none, the ``tzdata`` package.
UK = ZoneInfo("Europe/London")


def uk_time(value: datetime) -> datetime:
    """A stored time (naive UTC, as every ``*_at`` column holds it) as the clocks in the UK show it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UK)


def long_date(value) -> str:
    """A date as people write it, in the page's language: 3 March 2027, 3 Mawrth 2027. A stored
    time gives its date in the UK (23:30 UTC on 30 June is already 1 July there)."""
    if isinstance(value, datetime):
        value = uk_time(value).date()
    return format_date(value, "d MMMM y")


def time_of_day(value: datetime) -> str:
    """A stored time's time of day on UK clocks, on the 24-hour clock: 14:05."""
    return uk_time(value).strftime("%H:%M")


def long_datetime(value: datetime) -> str:
    """A stored time as people say it, on UK clocks, in the page's language: 3 March 2027 at 14:05,
    3 Mawrth 2027 am 14:05."""
    return _("%(date)s at %(time)s", date=long_date(value), time=time_of_day(value))


#: script_words() by catalog: the same words on every page in a language.
_SCRIPT_WORDS: WeakKeyDictionary = WeakKeyDictionary()


def script_words() -> dict:
    """Words the small scripts write (static/js/words.js), in the page's language (the same dict
    each time for a catalog: do not change it)."""
    translations = request_translations()
    try:
        return _SCRIPT_WORDS[translations]
    except (KeyError, TypeError):  # TypeError: a catalog that cannot be weakly referenced
        words = _script_words()
    try:
        _SCRIPT_WORDS[translations] = words
    except TypeError:
        pass
    return words


def _script_words() -> dict:
    return {
        "unset": _("Not chosen yet"),
        "unsetTap": _("Not chosen yet: tap a point on the line"),
        "chosen": _("Your choice: {choice}"),
        "used": _("You have used {used} of {total} {unit}."),
        "over": _("{over} too many."),
        "left": _("{left} left."),
        "refused": _("The server would not take these answers."),
    }


def _babel_gettext(msgid: str) -> str:
    return request_translations().ugettext(msgid)


def _babel_ngettext(singular: str, plural: str, n: int) -> str:
    return request_translations().ungettext(singular, plural, n)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language, default_translation_directories="translations")
    app.before_request(_remember_choice)
    app.after_request(_remember_language_sent)
    # Whitespace inside {% trans %} blocks is collapsed, so a paragraph's msgid is one line.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # flask-babel's own callables, with the request's catalog found in one step.
    app.jinja_env.install_gettext_callables(
        gettext=_babel_gettext, ngettext=_babel_ngettext, newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n))
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES,
                                 switch_to=switch_to, js_plural=js_plural, error_message=error_message,
                                 script_words=script_words, password_texts=password_texts,
                                 file_upload_texts=file_upload_texts, language_field=language_field)
    from .reading import own_words

    app.jinja_env.filters.update(with_count_texts=with_count_texts, long_date=long_date, uk_time=uk_time,
                                 time_of_day=time_of_day, long_datetime=long_datetime, as_read=own_words)
    wording.use_translations(_babel_gettext, _babel_ngettext)
