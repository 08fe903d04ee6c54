"""Forms for the workshop management pages."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Regexp

from ..forms import Form


class PinForm(Form):
    """The exit PIN, typed twice (a new workshop's, or a new one for an open workshop)."""

    pin = PasswordField(_l("Exit PIN"), description=_l("4 to 8 digits. You need it to take a tablet out of "
                                                       "kiosk mode. Do not tell participants."),
                        validators=[DataRequired(_l("Enter a PIN of 4 to 8 digits")),
                                    Regexp(r"^\d{4,8}$", message=_l("The PIN must be 4 to 8 digits"))])
    pin_again = PasswordField(_l("Exit PIN again"),
                              validators=[DataRequired(_l("Enter the PIN again")),
                                          EqualTo("pin", _l("The two PINs are different"))])


class WorkshopForm(PinForm):
    name = StringField(_l("Workshop name"), description=_l("For example, Leeds staff workshop, 3 June"),
                       validators=[DataRequired(_l("Enter a name for the workshop")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    tables = IntegerField(_l("Number of tables"),
                          description=_l("Each table gets its own tablet link and QR code"),
                          validators=[InputRequired(_l("Enter the number of tables, like 6")),
                                      NumberRange(1, 100, _l("Enter a number of tables from 1 to 100"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the page's order, so the error summary lists the problems as the form shows them
        # (the PIN's fields, made first in PinForm, would otherwise come first).
        for name in ("pin", "pin_again"):
            self._fields.move_to_end(name)


class CloseForm(Form):
    """Closing a workshop: only the CSRF token."""
