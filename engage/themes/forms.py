"""Theme workspace forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class StartRunForm(FlaskForm):
    questions = SelectMultipleField(_l("Which answers should be analysed?"), coerce=int,
                                    validators=[DataRequired(_l("Select at least one question"))])
    n_themes = IntegerField(_l("Number of themes (optional)"),
                            description=_l("Leave empty to let Engage choose."),
                            validators=[Optional(), NumberRange(2, 60, _l("Enter a number from 2 to 60"))])


class RenameForm(FlaskForm):
    label = StringField(_l("Theme name"), validators=[DataRequired(_l("Enter a theme name")),
                                                  Length(max=200, message=_l("Use 200 characters or fewer"))])
    description = TextAreaField(_l("Description (optional)"),
                                validators=[Length(max=2000, message=_l("Use 2000 characters or fewer"))])


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge this theme into"), coerce=int,
                         validators=[DataRequired(_l("Choose a theme to merge into"))])


class MoveForm(FlaskForm):
    answer = HiddenField(validators=[DataRequired()])
    target = SelectField(_l("Move to theme"), coerce=int, validators=[DataRequired(_l("Choose a theme"))])


class ActionForm(FlaskForm):
    """CSRF-only form for buttons (retry, mark reviewed)."""
