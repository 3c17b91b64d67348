"""The admin security log: sign-ins, failures and account changes, filtered, paged and exported as CSV."""

import csv
import io

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from coordapp.audit import bp
from coordapp.auth.access import role_required
from coordapp.auth.security_log import EVENT_LABELS, SecurityEvent, SecurityFilter
from coordapp.core.cells import neutralise
from coordapp.core.time import to_local
from coordapp.extensions import db
from coordapp.forms import UNKNOWN, TranslatedForm

PAGE_SIZE = 100
CSV_LIMIT = 100_000


class SecurityFilterForm(TranslatedForm):
    class Meta:
        csrf = False

    event = SelectField(
        _l("Event"),
        default="",
        invalid_choice_message=UNKNOWN,
        choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in EVENT_LABELS.items()],
    )
    email = StringField(_l("Account (email)"), validators=[Optional(), Length(max=254)])
    ip = StringField(_l("IP address"), validators=[Optional(), Length(max=45)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def to_filter(self) -> SecurityFilter:
        """Return the filter the valid input describes."""
        return SecurityFilter(
            event=self.event.data or None,
            email=self.email.data or None,
            ip=self.ip.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )


def _filter_or_none() -> tuple[SecurityFilterForm, SecurityFilter | None]:
    form = SecurityFilterForm(request.args)
    if request.args and not form.validate():
        return form, None
    return form, form.to_filter()


@bp.get("/security")
@role_required("admin")
def security():
    """List security events, newest first, with filters; older pages by the last id shown."""
    form, f = _filter_or_none()
    if f is None:
        return render_template("audit/security.html", form=form, f=SecurityFilter(), rows=[], older=None), 422
    tz = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    stmt = f.statement(tz)
    before = request.args.get("before", type=int)
    if before:
        stmt = stmt.where(SecurityEvent.id < before)
    rows = list(db.session.execute(stmt.limit(PAGE_SIZE + 1)).scalars())
    older = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return render_template(
        "audit/security.html", form=form, f=f, rows=rows[:PAGE_SIZE], older=older, labels=EVENT_LABELS
    )


@bp.get("/security.csv")
@role_required("admin")
def security_csv():
    """Export the filtered security events as CSV (UTF-8 with BOM; formula-like cells neutralised)."""
    form, f = _filter_or_none()
    if f is None:
        return render_template("audit/security.html", form=form, f=SecurityFilter(), rows=[], older=None), 422
    tz = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When"), _("Event"), _("Account (email)"), _("IP address"), _("Browser"), _("Detail")])
    for e in db.session.execute(f.statement(tz).limit(CSV_LIMIT)).scalars():
        cells = [
            to_local(e.created_dt, tz).isoformat(timespec="seconds"),
            e.event,
            e.email,
            e.ip,
            e.user_agent,
            e.detail,
        ]
        writer.writerow([neutralise(c) for c in cells])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=security-log.csv"},
    )
