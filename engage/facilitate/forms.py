"""Builder forms. Every field has a size limit; type-specific question settings are built per type."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from surveys.types import REGISTRY, get_type
from surveys.types.base import KEY_CHARS

from ..auth.forms import ChoicesForm

KEY_HINT = "Lowercase letters, digits and hyphens, like 'about-you'. Used in web addresses and files."


def _limit(n: int, what: str) -> Length:
    return Length(max=n, message=f"{what} must be {n} characters or fewer")


def _key(value: str | None) -> None:
    if value and not set(value) <= KEY_CHARS:
        raise ValidationError("Use only lowercase letters, digits and hyphens")


def key_field(label: str, what: str) -> StringField:
    return StringField(label, description=KEY_HINT, filters=[lambda v: (v or "").strip()], validators=[
        DataRequired(f"Enter {what}"), _limit(80, label), lambda form, field: _key(field.data)])


class ConsultationForm(FlaskForm):
    slug = key_field("Web address name", "a web address name")
    title = StringField("Title", validators=[DataRequired("Enter a title"), _limit(200, "Title")])
    summary = TextAreaField("Summary", description="Shown on the start page.",
                            validators=[Optional(), _limit(2000, "Summary")])
    audience = StringField("Who it is for", validators=[Optional(), _limit(300, "Who it is for")])
    consent_text = TextAreaField("Consent text", description="Markdown. What is collected, why, how "
                                 "long it is kept and how to withdraw.",
                                 validators=[Optional(), _limit(20000, "Consent text")])
    retention_days = IntegerField("Keep answers for this many days after closing", default=365,
                                  validators=[InputRequired("Enter a number of days"),
                                              NumberRange(1, 3650, "Enter a number from 1 to 3650")])
    min_group_size = IntegerField("Smallest group shown in results", default=5,
                                  validators=[InputRequired("Enter the smallest group size"),
                                              NumberRange(1, 1000, "Enter a number from 1 to 1000")])
    show_results = BooleanField("Show respondents what others said (aggregates only) after they answer")


class SettingsForm(ConsultationForm):
    """Editing: the web address name cannot change (links and files refer to it)."""

    slug = None


PAGE_KINDS = [("questions", "Questions"), ("briefing", "Briefing (information to read)")]


class PageForm(ChoicesForm):
    CHOICES = {"kind": PAGE_KINDS}
    key = key_field("Page key", "a page key")
    kind = RadioField("Kind of page", default="questions",
                      validators=[DataRequired("Choose the kind of page")])
    title = StringField("Title", validators=[DataRequired("Enter a title"), _limit(200, "Title")])
    body = TextAreaField("Briefing text", description="Markdown. Give the case for both sides.",
                         validators=[Optional(), _limit(20000, "Briefing text")])
    show_if_question = SelectField("Show this page only to people who answered", default="",
                                   validate_choice=True)
    show_if_in = StringField("with one of these answers",
                             description="Option keys separated by commas, like 'staff, carer'.",
                             validators=[Optional(), _limit(500, "The answers")])

    def show_if_answers(self) -> list[str]:
        return [a.strip() for a in (self.show_if_in.data or "").split(",") if a.strip()]


class EditPageForm(PageForm):
    key = None
    kind = None


class TypeForm(ChoicesForm):
    CHOICES = {"type": [(name, cls.title) for name, cls in REGISTRY.items()]}
    type = RadioField("Type of question", validators=[DataRequired("Choose a type of question")])


class ImportForm(FlaskForm):
    file = FileField("Definition file (YAML or JSON)", validators=[FileRequired("Choose a file")])


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """Only the CSRF token: confirm buttons."""


# Questions ------------------------------------------------------------------------------------

_OPTION_LINE = re.compile(r"^\s*([^|]+?)\s*\|\s*(.+?)\s*$")


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:80]


def parse_options(text: str) -> list[dict]:
    options = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = _OPTION_LINE.match(line)
        key, label = (m.group(1), m.group(2)) if m else (_slug(line), line.strip())
        if not key or not set(key) <= KEY_CHARS:
            raise ValidationError(f"Line {n}: the key must be lowercase letters, digits and hyphens")
        if len(label) > 300:
            raise ValidationError(f"Line {n}: the label must be 300 characters or fewer")
        options.append({"key": key, "label": label})
    return options


class QuestionForm(FlaskForm):
    key = key_field("Question key", "a question key")
    prompt = TextAreaField("Question", validators=[DataRequired("Enter the question"),
                                                   _limit(500, "The question")])
    hint = TextAreaField("Hint", validators=[Optional(), _limit(1000, "The hint")])
    required = BooleanField("An answer is needed")
    is_segment = BooleanField("This is the segment question (patient, carer, public, staff…)")
    repeat_of = SelectField("Repeat of an earlier question (to measure change after a briefing)",
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
            elif kind == "options":
                config[key] = parse_options(field.data)
            elif kind == "lines":
                lines = [x.strip() for x in (field.data or "").splitlines() if x.strip()]
                if lines:
                    config[key] = lines
            elif field.data not in (None, ""):
                config[key] = field.data
        return config

    def fill(self, config: dict) -> None:
        for setting in get_type(self.type_name).settings:
            key, kind = setting.key, setting.kind
            field = getattr(self, "cfg_" + key)
            value = config.get(key)
            if kind == "options":
                field.data = "\n".join(f"{o['key']} | {o['label']}" for o in value or [])
            elif kind == "lines":
                field.data = "\n".join(value or [])
            else:
                field.data = value


def _setting_field(kind: str, label: str, hint: str):
    if kind == "bool":
        return BooleanField(label, description=hint or None)
    if kind == "int":
        return IntegerField(label, description=hint or None, validators=[
            Optional(), NumberRange(1, 1_000_000, "Enter a whole number from 1 to 1,000,000")])
    if kind in ("options", "lines"):
        def check(form, field):
            if kind == "options":
                parse_options(field.data)
        validators = [_limit(6000, label), check]
        if kind == "options":
            validators.insert(0, DataRequired("Enter at least one option"))
        else:
            validators.insert(0, Optional())
        return TextAreaField(label, description=hint or None, validators=validators)
    return StringField(label, description=hint or None, validators=[Optional(), _limit(200, label)])


_FORMS: dict[tuple[str, bool], type[QuestionForm]] = {}


def question_form_class(type_name: str, editing: bool = False) -> type[QuestionForm]:
    """The form for one question type: common fields plus that type's settings."""
    if (type_name, editing) not in _FORMS:
        attrs = {"type_name": type_name}
        for setting in get_type(type_name).settings:
            key, kind, label, hint = setting.key, setting.kind, setting.label, setting.hint
            field = _setting_field(kind, label, hint)
            if setting.required and kind != "options":  # options have their own check
                field = (StringField if kind == "line" else IntegerField)(label, description=hint or None,
                                                                        validators=[
                    InputRequired(f"Enter the {label.lower()}"),
                    *([_limit(200, label)] if kind == "line" else
                      [NumberRange(1, 1_000_000, "Enter a whole number from 1 to 1,000,000")])])
            attrs["cfg_" + key] = field
        if editing:
            attrs["key"] = None
        _FORMS[(type_name, editing)] = type(f"{type_name.title()}QuestionForm", (QuestionForm,), attrs)
    return _FORMS[(type_name, editing)]


class StaffWithdrawForm(FlaskForm):
    """An admin deletes a response for a person who asked without their code."""

    reason = TextAreaField("Why are you deleting this response?",
                           description="For example: the person phoned on 3 March and asked for their "
                                       "answers to be deleted. Do not write what they answered.",
                           validators=[DataRequired("Enter why you are deleting this response"),
                                       Length(max=500, message="Reason must be 500 characters or fewer")])
