"""Theme workspace forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class StartRunForm(FlaskForm):
    questions = SelectMultipleField("Which answers should be analysed?", coerce=int,
                                    validators=[DataRequired("Select at least one question")])
    n_themes = IntegerField("Number of themes (optional)",
                            description="Leave empty to let Engage choose.",
                            validators=[Optional(), NumberRange(2, 60, "Enter a number from 2 to 60")])


class RenameForm(FlaskForm):
    label = StringField("Theme name", validators=[DataRequired("Enter a theme name"),
                                                  Length(max=200, message="Use 200 characters or fewer")])
    description = TextAreaField("Description (optional)",
                                validators=[Length(max=2000, message="Use 2000 characters or fewer")])


class MergeForm(FlaskForm):
    target = SelectField("Merge this theme into", coerce=int,
                         validators=[DataRequired("Choose a theme to merge into")])


class MoveForm(FlaskForm):
    answer = HiddenField(validators=[DataRequired()])
    target = SelectField("Move to theme", coerce=int, validators=[DataRequired("Choose a theme")])


class ActionForm(FlaskForm):
    """CSRF-only form for buttons (retry, mark reviewed)."""
