"""Theme workspace forms."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import Form


class StartRunForm(Form):
    questions = SelectMultipleField(_l("Which answers should be analysed?"), coerce=int,
                                    validators=[DataRequired(_l("Select at least one question"))])
    n_themes = IntegerField(_l("Number of themes (optional)"),
                            description=_l("Leave empty to let Engage choose."),
                            validators=[Optional(), NumberRange(2, 60, _l("Enter a number from 2 to 60"))])


class RenameForm(Form):
    label = StringField(_l("Theme name"), validators=[DataRequired(_l("Enter a theme name")),
                                                  Length(max=200, message=_l("Use 200 characters or fewer"))])
    description = TextAreaField(_l("Description (optional)"),
                                validators=[Length(max=2000, message=_l("Use 2000 characters or fewer"))])


def theme_id(value) -> int | None:
    """A chosen theme's id; None for the list's empty first choice ("Choose a theme"), which the
    field then refuses as not chosen rather than as not a number."""
    return None if value in ("", None) else int(value)


class MergeForm(Form):
    target = SelectField(_l("Merge this theme into"), coerce=theme_id,
                         validators=[DataRequired(_l("Choose a theme to merge into"))])


class MoveForm(Form):
    #: Sent by the page, never typed: a form without one is a page to reload, said in words.
    answer = HiddenField(validators=[DataRequired(_l("That answer could not be found. Reload the page "
                                                     "and try again."))])
    target = SelectField(_l("Move to theme"), coerce=theme_id,
                         validators=[DataRequired(_l("Choose a theme to move this answer to"))])


class ActionForm(Form):
    """CSRF-only form for buttons (retry, mark reviewed)."""
