"""The audit page's filter form (GET, no CSRF: it changes nothing)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from coordapp.audit.history import ACTIONS, ENTITY_TYPES
from coordapp.audit.queries import SYSTEM, AuditFilter, entity_types
from coordapp.forms import UNKNOWN, TranslatedForm


class AuditFilterForm(TranslatedForm):
    class Meta:
        csrf = False

    entity_type = SelectField(_l("Kind of record"), default="", invalid_choice_message=UNKNOWN)
    entity_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1, message=UNKNOWN)])
    action = SelectField(
        _l("Action"),
        default="",
        invalid_choice_message=UNKNOWN,
        choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in ACTIONS.items()],
    )
    actor = SelectField(_l("Who"), default="", invalid_choice_message=UNKNOWN)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def setup(self, users) -> "AuditFilterForm":
        """Offer the audited kinds of record and the users as choices."""
        self.entity_type.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(t, ENTITY_TYPES.get(t, t)) for t in entity_types()
        ]
        self.actor.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice(SYSTEM, _l("The system or a stakeholder link")),
        ] + [SelectChoice(str(u.id), u.name) for u in users]
        return self

    def validate_date_to(self, field):
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def to_filter(self) -> AuditFilter:
        """Return the filter the valid input describes."""
        actor = self.actor.data or None
        return AuditFilter(
            entity_type=self.entity_type.data or None,
            entity_id=self.entity_id.data,
            action=self.action.data or None,
            actor=int(actor) if actor and actor.isdigit() else actor,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
