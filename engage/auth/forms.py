"""Account forms: sign in, change password, and the admin's account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from surveys.accounts import (
    MAX_EMAIL_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    normal_email,
    valid_email,
)
from surveys.models import ROLES

from ..forms import Form

ROLE_CHOICES = [("admin", _l("Admin")), ("facilitator", _l("Facilitator")),
                ("viewer", _l("Viewer (read-only)"))]
ROLE_HINTS = {"admin": _l("Sees every consultation, manages accounts and reads the audit trail."),
              "facilitator": _l("Builds and changes the consultations given to them."),
              "viewer": _l("Reads the consultations given to them; changes nothing.")}
assert [r for r, _ in ROLE_CHOICES] == list(ROLES)


class ChoicesForm(Form):
    """Sets choices after construction: WTForms 3.3 warns about tuple choices given to a field."""

    CHOICES: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in self.CHOICES.items():
            if name in self:
                self[name].choices = list(choices)


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, description=_l("At least %(num)s characters.", num=MIN_PASSWORD_LENGTH),
                         validators=[
        DataRequired(_l("Enter a new password")),
        Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
               message=_l("The password must be %(min)d to %(max)d characters"))])


def email_shape(message):
    """A validator: the accounts' own rule (``surveys.accounts.valid_email``), so an address that
    can have an account can sign in and one that cannot is refused in both places, and a person's
    address for their link or the outcome is held to the same rule (``<script>@x.com`` is not an
    address); too long: Length says so."""
    def check(form, field) -> None:
        email = normal_email(field.data or "")
        if len(email) <= MAX_EMAIL_LENGTH and not valid_email(email):
            raise ValidationError(message)
    return check


_email_shape = email_shape(_l("Enter an email address in the correct format, like name@nhs.net"))


def _email() -> EmailField:
    return EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address")), _email_shape,
        Length(max=MAX_EMAIL_LENGTH, message=_l("Email address must be 254 characters or fewer"))])


class LoginForm(Form):
    email = _email()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password")),
        Length(max=200, message=_l("Password must be 200 characters or fewer"))])


class EmptyForm(Form):
    """A form with only the CSRF token, for POST-only buttons such as sign out."""


class ChangePasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password")),
        Length(max=MAX_PASSWORD_LENGTH, message=_l("Password must be 200 characters or fewer"))])
    new = _new_password(_l("New password"))
    confirm = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")),
        EqualTo("new", _l("The two new passwords do not match"))])


class UserForm(ChoicesForm):
    """An admin creating an account."""

    email = _email()
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200, message=_l(
        "Name must be 200 characters or fewer"))])
    CHOICES = {"role": ROLE_CHOICES}
    role = RadioField(_l("Role"), default="facilitator", validators=[DataRequired(_l("Select a role"))])
    password = _new_password(_l("Password"))


class EditUserForm(ChoicesForm):
    """An admin changing an account's role, state and consultations."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=200, message=_l(
        "Name must be 200 characters or fewer"))])
    CHOICES = {"role": ROLE_CHOICES}
    role = RadioField(_l("Role"), validators=[DataRequired(_l("Select a role"))])
    active = BooleanField(_l("Account can sign in"))
    consultations = SelectMultipleField(_l("Consultations this person can see"), coerce=int,
                                        validate_choice=True)
    #: The consultations listed when the form was opened (their ids, comma-separated): only these
    #: are given or taken away, not one made or copied since.
    consultations_shown = HiddenField()

    def shown_ids(self) -> set[int] | None:
        """The ids the form listed; None when the field is not whole numbers (not our page's)."""
        parts = [p for p in (self.consultations_shown.data or "").split(",") if p]
        if not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
            return None
        return {int(p) for p in parts}


class ResetPasswordForm(Form):
    password = _new_password(_l("New password"))
