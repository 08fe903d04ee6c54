"""Builder forms. Every field has a size limit; type-specific question settings are built per type."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from surveys.groups import MAX_GROUP_MINIMUM
from surveys.retention import MAX_RETENTION_DAYS
from surveys.types import REGISTRY, get_type
from surveys.types.base import KEY_CHARS, MAX_LINE, MAX_SETTING_NUMBER

from ..auth.forms import ChoicesForm
from ..forms import Form
from .rows import ROW_KINDS, RowsField

KEY_HINT = _l("Lowercase letters, digits and hyphens, like 'about-you'. Used in web addresses and files.")


def _limit(n: int, what: str) -> Length:
    return Length(max=n, message=_l("%(what)s must be %(n)s characters or fewer", what=what, n=n))


def _key(value: str | None) -> None:
    if value and not set(value) <= KEY_CHARS:
        raise ValidationError(_l("Use only lowercase letters, digits and hyphens"))


def key_field(label: str, what: str, made_from: str | None = None) -> StringField:
    """A key typed by hand; with ``made_from``, optional (the builder makes it from that field)."""
    first = Optional() if made_from else DataRequired(_l("Enter %(what)s", what=what))
    hint = _l("Leave it empty and one is made from the %(what)s. Used in web addresses and files: "
              "lowercase letters, digits and hyphens, like 'about-you'.", what=made_from) if made_from \
        else KEY_HINT
    return StringField(label, description=hint, filters=[lambda v: (v or "").strip()], validators=[
        first, _limit(80, label), lambda form, field: _key(field.data)])


class ConsultationForm(Form):
    slug = key_field(_l("Web address name"), _l("a web address name"))
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), _limit(200, _l("Title"))])
    summary = TextAreaField(_l("Summary"), description=_l("Shown on the start page."),
                            validators=[Optional(), _limit(2000, _l("Summary"))])
    audience = StringField(_l("Who it is for"), validators=[Optional(), _limit(300, _l("Who it is for"))])
    consent_text = TextAreaField(_l("Consent text"), description=_l("Markdown. What is collected, why, how "
                                                                    "long it is kept and how to withdraw."),
                                 validators=[Optional(), _limit(20000, _l("Consent text"))])
    # The same most as an imported definition's (the message names it: a test checks they agree).
    retention_days = IntegerField(_l("Keep answers for this many days after closing"), default=365,
                                  validators=[InputRequired(_l("Enter a number of days")),
                                              NumberRange(1, MAX_RETENTION_DAYS,
                                                          _l("Enter a number from 1 to 3650"))])
    min_group_size = IntegerField(_l("Smallest group shown in results"), default=5,
                                  validators=[InputRequired(_l("Enter the smallest group size")),
                                              NumberRange(1, MAX_GROUP_MINIMUM,
                                                          _l("Enter a number from 1 to 1000"))])
    show_results = BooleanField(_l("Show respondents what others said (aggregates only) after they answer"))


def stamp_field() -> HiddenField:
    """The consultation's edit stamp from when a builder edit form was opened: a form opened before
    someone else's edit is refused, not saved over it (``common.check_stamp``)."""
    return HiddenField()


class SettingsForm(ConsultationForm):
    """Editing: the web address name cannot change (links and files refer to it)."""

    slug = None
    edit_stamp = stamp_field()


PAGE_KINDS = [("questions", _l("Questions")), ("briefing", _l("Briefing (information to read)"))]


class PageKindForm(ChoicesForm):
    """First step of adding a page: its kind decides what else is asked."""

    CHOICES = {"kind": PAGE_KINDS}
    kind = RadioField(_l("What kind of page?"), validators=[DataRequired(_l("Choose the kind of page"))])


class RoutingAnswersField(SelectMultipleField):
    """The answers that show a page: ``QUESTION:ANSWER`` values, in one group of checkboxes per
    earlier question (``groups``), of which only the chosen question's count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validate_choice=True, **kwargs)
        self.groups: list[dict] = []
        self.question_field = "show_if_question"
        #: The question chosen in the form; its group of checkboxes carries the error.
        self.chosen = ""

    def set_questions(self, questions) -> None:
        """``questions``: (key, prompt, [(answer, label)]) of each question a page may depend on."""
        chosen = set(self.data or [])
        self.choices = [(f"{key}:{a}", label) for key, _p, answers in questions for a, label in answers]
        self.groups = [{"key": key, "prompt": prompt,
                        "items": [{"value": f"{key}:{a}", "text": label, "checked": f"{key}:{a}" in chosen}
                                  for a, label in answers]}
                       for key, prompt, answers in questions]

    def answers_for(self, question: str | None) -> list[str]:
        return [v.split(":", 1)[1] for v in self.data or [] if question and v.startswith(question + ":")]

    @property
    def error_href(self) -> str:
        """The error summary links to the first checkbox of the chosen question's group."""
        keys = {g["key"] for g in self.groups if g["items"]}
        return f"#{self.id}-{self.chosen}" if self.chosen in keys else f"#{self.id}"

    def pre_validate(self, form):
        self.chosen = form[self.question_field].data or ""
        if any(v not in {c[0] for c in self.choices} for v in self.data or []):
            raise ValidationError(_l("Choose answers from the list given"))


class PageForm(Form):
    key = key_field(_l("Page key (optional)"), _l("a page key"), made_from=_l("title"))
    kind = HiddenField(validators=[DataRequired(_l("Choose the kind of page"))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), _limit(200, _l("Title"))])
    body = TextAreaField(_l("Briefing text"), description=_l("Markdown. Give the case for both sides."),
                         validators=[Optional(), _limit(20000, _l("Briefing text"))])
    show_if_question = SelectField(_l("Who sees this page?"), default="", validate_choice=True,
                                   description=_l("Everyone, or only people who gave certain answers "
                                                  "to an earlier question: choose the question."))
    show_if_in = RoutingAnswersField(_l("Answers that show this page"))

    def show_if_answers(self) -> list[str]:
        return self.show_if_in.answers_for(self.show_if_question.data)

    def validate_show_if_in(self, field):
        if self.show_if_question.data and not self.show_if_answers():
            raise ValidationError(_l("Choose which answer shows this page"))


class EditPageForm(PageForm):
    key = None
    kind = None
    edit_stamp = stamp_field()


class TypeForm(ChoicesForm):
    # The types' titles are marked in surveys.types (N_) and translated here, when shown.
    CHOICES = {"type": [(name, _l(cls.title)) for name, cls in REGISTRY.items()]}
    type = RadioField(_l("Type of question"), validators=[DataRequired(_l("Choose a type of question"))])


class ImportForm(Form):
    file = FileField(_l("Definition file (YAML or JSON)"), validators=[FileRequired(_l("Choose a file"))])


class StatusForm(Form):
    status = HiddenField(validators=[DataRequired()])


class MoveForm(Form):
    direction = HiddenField(validators=[DataRequired()])


class EmptyForm(Form):
    """Only the CSRF token: confirm buttons."""


class WelshForm(Form):
    """The Welsh version page's own fields (its texts are read from the request by name)."""

    edit_stamp = stamp_field()


# Questions ------------------------------------------------------------------------------------

class QuestionForm(Form):
    key = key_field(_l("Question key (optional)"), _l("a question key"), made_from=_l("question"))
    prompt = TextAreaField(_l("Question"), validators=[DataRequired(_l("Enter the question")),
                                                       _limit(500, _l("The question"))])
    hint = TextAreaField(_l("Hint"), validators=[Optional(), _limit(1000, _l("The hint"))])
    required = BooleanField(_l("An answer is needed"))
    is_segment = BooleanField(_l("This is the segment question"),
                              description=_l("The answer says which group a person is in (patient, "
                                             "carer, public, staff…), so results can be compared "
                                             "between groups."))
    repeat_of = SelectField(_l("Repeat of an earlier question (to measure change after a briefing)"),
                            default="", validate_choice=True)

    type_name: str = ""

    def settings(self):
        return [(getattr(self, "cfg_" + s.key), s.kind) for s in get_type(self.type_name).settings]

    def to_config(self) -> dict:
        config = {}
        for setting in get_type(self.type_name).settings:
            key, kind = setting.key, setting.kind
            field = getattr(self, "cfg_" + key)
            if kind == "bool":
                config[key] = bool(field.data)
            elif kind in ROW_KINDS:
                if field.data:
                    config[key] = field.data
            elif field.data not in (None, ""):
                config[key] = field.data
        return config

    def fill(self, config: dict) -> None:
        for setting in get_type(self.type_name).settings:
            field = getattr(self, "cfg_" + setting.key)
            value = config.get(setting.key)
            if setting.kind in ROW_KINDS:
                field.fill(value or [])
            else:
                field.data = value


def _setting_field(setting):
    kind, label, hint = setting.kind, _l(setting.label), _l(setting.hint) if setting.hint else None
    if kind in ROW_KINDS:
        return RowsField(label, description=hint, keyed=kind == "options", required=setting.required,
                         rows=setting.rows)
    if kind == "bool":
        return BooleanField(label, description=hint)
    # The setting's name goes into the sentence in the page's language (it is lazy until shown).
    if kind == "int":
        first = InputRequired(_l("Enter a value for ‘%(what)s’", what=label)) if setting.required \
            else Optional()
        return IntegerField(label, description=hint, validators=[
            first, NumberRange(1, MAX_SETTING_NUMBER, _l("Enter a whole number from 1 to 1,000,000"))])
    first = InputRequired(_l("Enter a value for ‘%(what)s’", what=label)) if setting.required \
        else Optional()
    return StringField(label, description=hint, validators=[first, _limit(MAX_LINE, label)])


_FORMS: dict[tuple[str, bool], type[QuestionForm]] = {}


def question_form_class(type_name: str, editing: bool = False) -> type[QuestionForm]:
    """The form for one question type: the common fields that apply to it, plus its settings."""
    if (type_name, editing) not in _FORMS:
        qtype = get_type(type_name)
        attrs = {"type_name": type_name}
        for setting in qtype.settings:
            attrs["cfg_" + setting.key] = _setting_field(setting)
        if not qtype.can_segment:
            attrs["is_segment"] = None
        if editing:
            attrs["key"] = None
            attrs["edit_stamp"] = stamp_field()
        _FORMS[(type_name, editing)] = type(f"{type_name.title()}QuestionForm", (QuestionForm,), attrs)
    return _FORMS[(type_name, editing)]


class StaffWithdrawForm(Form):
    """An admin deletes a response for a person who asked without their code."""

    reason = TextAreaField(_l("Why are you deleting this response?"),
                           description=_l("For example: the person phoned on 3 March and asked for their "
                                          "answers to be deleted. Do not write what they answered."),
                           validators=[DataRequired(_l("Enter why you are deleting this response")),
                                       Length(max=500, message=_l("Reason must be 500 characters or fewer"))])


class CopyForm(Form):
    slug = key_field(_l("Web address name of the copy"), _l("a web address name"))
    title = StringField(_l("Title of the copy"), validators=[
        DataRequired(_l("Enter a title")),
        Length(max=200, message=_l("Title must be 200 characters or fewer"))])


class EntryForm(ChoicesForm):
    CHOICES = {"channel": [("paper", _l("On paper")), ("phone", _l("By phone"))]}
    channel = RadioField(_l("How did the person answer?"),
                         validators=[DataRequired(_l("Choose paper or phone"))])
    consent = BooleanField(_l("The person agreed to take part (ticked or said so)"),
                           validators=[DataRequired(_l("Confirm that the person agreed to take part"))])


class _Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _not_past(form, field) -> None:
    """A promise to report back by a day already gone is no promise ("by 1 January 1900")."""
    if field.data is not None and field.data < date.today():
        raise ValidationError(_l("Enter a date that is today or later"))


class PublicationForm(ChoicesForm):
    questions = _Checkboxes(_l("Charts to show"), validate_choice=True)
    themes = _Checkboxes(_l("Themes to show"), coerce=int, validate_choice=True)
    quotes = _Checkboxes(_l("Quotes you approve"), coerce=int, validate_choice=True)
    heard = TextAreaField(_l("What we heard"), description=_l("In your own words. Markdown: paragraphs, "
                                                               "## headings, - lists."), validators=[
                              DataRequired(_l("Say what you heard")),
                              Length(max=20000, message=_l("Keep it under 20,000 characters"))])
    will_do = TextAreaField(_l("What we will do"), validators=[
        DataRequired(_l("Say what you will do")),
        Length(max=20000, message=_l("Keep it under 20,000 characters"))])
    heard_cy = TextAreaField(_l("What we heard, in Welsh"), validators=[
        Optional(), Length(max=20000, message=_l("Keep the Welsh under 20,000 characters"))],
        description=_l("Shown on the Welsh page when the consultation is offered in Welsh. Leave blank "
                       "to show the English there."))
    will_do_cy = TextAreaField(_l("What we will do, in Welsh"), validators=[
        Optional(), Length(max=20000, message=_l("Keep the Welsh under 20,000 characters"))])
    report_back_by = DateField(_l("When you will report back on what was done"),
                               validators=[Optional(), _not_past],
                               description=_l("For example, 2027-03-31. Leave blank if you do not know yet."))
