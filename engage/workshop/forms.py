"""Forms for the workshop management pages."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Regexp


class PinForm(FlaskForm):
    """The exit PIN, typed twice (a new workshop's, or a new one for an open workshop)."""

    pin = PasswordField("Exit PIN", description="4 to 8 digits. You need it to take a tablet out of "
                                                "kiosk mode. Do not tell participants.",
                        validators=[DataRequired("Enter a PIN of 4 to 8 digits"),
                                    Regexp(r"^\d{4,8}$", message="The PIN must be 4 to 8 digits")])
    pin_again = PasswordField("Exit PIN again",
                              validators=[DataRequired("Enter the PIN again"),
                                          EqualTo("pin", "The two PINs are different")])


class WorkshopForm(PinForm):
    name = StringField("Workshop name", description="For example, Leeds staff workshop, 3 June",
                       validators=[DataRequired("Enter a name for the workshop"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])
    tables = IntegerField("Number of tables", description="Each table gets its own tablet link and QR code",
                          validators=[InputRequired("Enter the number of tables, like 6"),
                                      NumberRange(1, 100, "Enter a number of tables from 1 to 100")])


class CloseForm(FlaskForm):
    """Closing a workshop: only the CSRF token."""
