"""The admin audit page: every recorded change, filtered and paged."""

from flask import current_app, render_template, request

from coordapp.audit import bp
from coordapp.audit.forms import AuditFilterForm
from coordapp.audit.history import describe
from coordapp.audit.queries import AuditFilter, EventPage, fetch_events
from coordapp.auth.access import role_required
from coordapp.auth.models import User
from coordapp.extensions import db


@bp.get("/")
@role_required("admin")
def index():
    """List audit events with filters (kind, record, action, who, dates), newest first."""
    users = db.session.execute(db.select(User).order_by(User.name)).scalars().all()
    form = AuditFilterForm(request.args).setup(users)
    if request.args and not form.validate():
        return render_template("audit/index.html", form=form, f=AuditFilter(), page=EventPage([])), 422
    f = form.to_filter()
    page = fetch_events(
        f,
        request.args.get("after", type=int),
        request.args.get("before", type=int),
        tz=current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    describe(page.rows, with_records=True)
    return render_template("audit/index.html", form=form, f=f, page=page)
