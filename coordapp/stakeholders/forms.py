"""Forms of the stakeholder register: organizations, contacts, the CSV upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, ValidationError

from coordapp.core.labels import choices
from coordapp.core.locking import VersionMixin
from coordapp.core.submissions import SubmitOnceMixin
from coordapp.forms import TranslatedForm, at_most, required, web_address
from coordapp.stakeholders import services


def options(pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs."""
    return [SelectChoice(value, text) for value, text in pairs]


LANGUAGE_CHOICES = options([("id", "Bahasa Indonesia"), ("en", "English")])
SCALE_CHOICES = options((n, str(n)) for n in range(1, 6))


class OrganizationForm(SubmitOnceMixin, VersionMixin, TranslatedForm):
    name = StringField(_l("Name"), validators=[required(), at_most(200)])
    short_name = StringField(
        _l("Short name"), validators=[at_most(60)], description=_l("Shown on the grid and in lists, e.g. Bawaslu.")
    )
    category = SelectField(_l("Category"), choices=options(choices("category")), validators=[required()])
    influence = SelectField(
        _l("Influence"),
        choices=SCALE_CHOICES,
        coerce=int,
        default=3,
        description=_l("1 = hardly any power over the election's course, 5 = decisive."),
    )
    interest = SelectField(
        _l("Interest"),
        choices=SCALE_CHOICES,
        coerce=int,
        default=3,
        description=_l("1 = hardly affected by the election's course, 5 = very much."),
    )
    notes = TextAreaField(_l("Notes"), validators=[at_most(5000)])
    website = URLField(
        _l("Website"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[at_most(300), web_address],
        description=_l("The organization's own site, e.g. https://bawaslu.go.id; the public portal links to it."),
    )
    is_active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._organization = organization

    def validate_name(self, field):
        """Refuse a name another organization has, whatever its case."""
        field.data = (field.data or "").strip()
        other = services.organization_named(field.data, exclude_id=getattr(self._organization, "id", None))
        if other is not None:
            raise ValidationError(_l("Another organization already has this name."))

    def data_for_service(self) -> dict:
        """Return the fields the service saves: every field of the form (is_active only when it offers it)."""
        return {field.name: field.data for field in self if field.name != "csrf_token"}


class ContactForm(SubmitOnceMixin, VersionMixin, TranslatedForm):
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[required()])
    name = StringField(_l("Name"), validators=[required(), at_most(120)])
    position = StringField(_l("Position"), validators=[at_most(120)])
    email = EmailField(
        _l("Email"),
        validators=[
            required(),
            at_most(254),
            Email(message=_l("This is not a valid email address."), check_deliverability=False),
        ],
    )
    phone = StringField(_l("Phone"), validators=[at_most(40)], description=_l("For example +62 21 555 0101."))
    language = SelectField(_l("Language of emails"), choices=LANGUAGE_CHOICES, default="id")
    reminder_mode = SelectField(_l("Reminders"), choices=options(choices("reminder_mode")), default="daily")

    def __init__(self, *args, contact=None, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._contact = contact
        self.organization_id.choices = options((org.id, org.name) for org in organizations)

    def validate_email(self, field):
        """Refuse an email another contact already has, naming that contact."""
        field.data = (field.data or "").strip()
        other = services.contact_with_email(field.data, exclude_id=getattr(self._contact, "id", None))
        if other is not None:
            raise ValidationError(
                _l(
                    "This email is already used by %(name)s (%(organization)s).",
                    name=other.name,
                    organization=other.organization.label,
                )
            )

    def validate_phone(self, field):
        """Accept digits with the usual separators and an optional leading +."""
        problem = services.phone_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def data_for_service(self) -> dict:
        """Return the fields the service saves."""
        keys = ["organization_id", "name", "position", "email", "phone", "language", "reminder_mode"]
        return {key: self[key].data for key in keys}


class ImportForm(TranslatedForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file to import."))])
    dry_run = BooleanField(_l("Only check the file; import nothing"))


class ApplyCheckedForm(TranslatedForm):
    """Import the file a check found correct, kept on the server (core/held_uploads): no second upload."""

    ticket = HiddenField()
