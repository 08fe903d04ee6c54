"""Journey forms. Answers are read by the question types; the form carries the CSRF token."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from ..auth.forms import email_shape
from ..forms import Form


class PageForm(Form):
    """A page of questions (fields are rendered and parsed per question type)."""


class ConsentForm(Form):
    agree = BooleanField(_l("I have read this and I want to take part"),
                         validators=[DataRequired(_l("Tick the box to say you want to take part"))])


class WithdrawForm(Form):
    reference = StringField(_l("Your reference code"),
                            description=_l("For example, ABCD 2345. Capital letters, spaces and hyphens "
                                           "do not matter."),
                            validators=[DataRequired(_l("Enter your reference code")),
                                        Length(max=40, message=_l("Reference codes are 8 letters and "
                                                                  "numbers, like ABCD-2345"))])


class ConfirmWithdrawForm(Form):
    """The second step: the code the person confirmed, carried in the page."""

    reference = HiddenField(validators=[DataRequired(), Length(max=40)])


class EmailForm(Form):
    """An address for one email the person asked for (not kept once it is sent)."""

    email = StringField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address")),
        Length(max=254, message=_l("Email addresses are 254 characters or fewer")),
        email_shape(_l("Enter an email address in the correct format, like name@example.com"))],
        filters=[lambda v: (v or "").strip()])


class UpdatesForm(EmailForm):
    """A separate, optional consent: an address kept apart from the answers to hear the outcome.

    Shown on the same page as the receipt's ``EmailForm``: its fields are named ``updates-…`` so
    that each form has its own ids (an error links to its own field) and reads only its own address.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "updates-")
        super().__init__(*args, **kwargs)

    agree = BooleanField(_l("Keep my email address, apart from my answers, until you tell me the outcome"),
                         validators=[DataRequired(_l("Tick the box to say we may keep your email address "
                                                     "until we tell you the outcome"))])
