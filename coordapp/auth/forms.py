"""Forms of the auth feature."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from coordapp.auth.passwords import MAX_PASSWORD, MIN_PASSWORD, password_problem
from coordapp.core.labels import choices
from coordapp.core.submissions import SubmitOnceMixin
from coordapp.forms import TranslatedForm, at_most, required

ROLE_CHOICES = [SelectChoice(value, label) for value, label in choices("role")]
EMAIL_CHOICES = [SelectChoice(value, label) for value, label in choices("email_notifications")]
LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


PASSWORD_HINT = _l(
    "%(min)d to %(max)d characters, any kind; pasting is fine. A few unrelated words make a strong password; "
    "common or leaked passwords are refused.",
    min=MIN_PASSWORD,
    max=MAX_PASSWORD,
)


def _acceptable_password(form, field):
    user = getattr(form, "user", None)
    email = getattr(form, "email", None) and form.email.data or getattr(user, "email", "")
    problem = password_problem(field.data or "", email or "", getattr(user, "name", "") or "")
    if problem:
        raise ValidationError(problem)


def _new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        description=PASSWORD_HINT,
        validators=[DataRequired(), Length(max=MAX_PASSWORD), _acceptable_password],
        render_kw={"data-strength": "", "minlength": MIN_PASSWORD, "maxlength": MAX_PASSWORD},
    )


class LoginForm(TranslatedForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class AccountForm(TranslatedForm):
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    # Left out of a post, it keeps the saved choice (the form starts from the user).
    email_notifications = RadioField(_l("Email about my notifications"), choices=EMAIL_CHOICES)


class PasswordChangeForm(TranslatedForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    new_password = _new_password_field()
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
    language = SelectField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        description=_l("The invitation email is written in this language."),
    )


class UserEditForm(TranslatedForm):
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    is_active = BooleanField(_l("Active (may log in)"))


class SetPasswordForm(TranslatedForm):
    """Choose a password from an invitation or reset link (``user`` is set by the view)."""

    new_password = _new_password_field(_l("Password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ForgotPasswordForm(TranslatedForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class CodeForm(TranslatedForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6 digits your authenticator app shows, or one of your recovery codes."),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"},
    )
