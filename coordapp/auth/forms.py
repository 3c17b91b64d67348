"""Forms of the auth feature."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, ValidationError

from coordapp.auth.services import MAX_PASSWORD, password_problem
from coordapp.core.labels import choices
from coordapp.core.submissions import SubmitOnceMixin
from coordapp.forms import TranslatedForm, at_most, required

ROLE_CHOICES = [SelectChoice(value, label) for value, label in choices("role")]
LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


def _acceptable_password(form, field):
    problem = password_problem(field.data or "", getattr(form, "email", None) and form.email.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(TranslatedForm):
    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Password"), validators=[required(), at_most(MAX_PASSWORD)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class AccountForm(TranslatedForm):
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class PasswordChangeForm(TranslatedForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    new_password = PasswordField(_l("New password"), validators=[required(), _acceptable_password])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class UserCreateForm(SubmitOnceMixin, TranslatedForm):
    email = EmailField(
        _l("Email"), validators=[required(), Email(message=_l("This is not a valid email address.")), at_most(254)]
    )
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="staff")
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    password = PasswordField(
        _l("Initial password"),
        description=_l("Leave empty to generate one; it is shown once."),
        validators=[],
    )

    def validate_password(self, field):
        """Check the initial password only when one is given."""
        if field.data:
            _acceptable_password(self, field)


class UserEditForm(TranslatedForm):
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    is_active = BooleanField(_l("Active (may log in)"))
