"""Meeting pages: the list, the form, the meeting page, attendance, archiving."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.audit.history import changes_since
from coordapp.audit.services import history_for
from coordapp.auth.access import has_role, login_required, role_required
from coordapp.core import locking
from coordapp.core.labels import choices
from coordapp.core.time import DEFAULT_TZ, local_today, utcnow
from coordapp.core.urls import external_url
from coordapp.elections.services import active_election
from coordapp.extensions import db
from coordapp.meetings import bp, ics, queries, services
from coordapp.meetings.forms import AttendanceForm, MeetingForm, SendMinutesForm
from coordapp.meetings.models import Meeting
from coordapp.meetings.queries import MeetingFilter


@bp.get("/")
@login_required
def index():
    """List an election's meetings, filtered, newest first or grouped by week."""
    meeting_filter = MeetingFilter.from_args(request.args)
    elections = queries.elections_with_stages()  # active first: the first is the one staff work on
    election = next((e for e in elections if e.id == meeting_filter.election), elections[0] if elections else None)
    if election is None:
        return render_template("meetings/index.html", election=None, elections=[], meeting_filter=meeting_filter)
    page = queries.list_page(
        meeting_filter, election, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "meetings/index.html",
        election=election,
        elections=elections,
        meeting_filter=meeting_filter,
        page=page,
        counts=queries.row_counts([m.id for m in page.items]),
        weeks=queries.by_week(page.items, election.timezone) if meeting_filter.view == "week" else None,
        organizations=queries.organizations_to_choose(set()),
        kinds=choices("meeting_kind"),
        feed_url=external_url("meetings.feed", token=ics.feed_token(current_user)),
    )


def _initial_data(meeting: Meeting | None) -> dict:
    """Return what the form shows before anything is typed."""
    if meeting is None:
        election = active_election()
        stage = election.stage_on(local_today(election.timezone)) if election else None
        return {"election_id": election.id if election else None, "stage_id": stage.id if stage else None}
    start, end = services.local_times(meeting)
    return {
        "title": meeting.title,
        "election_id": meeting.election_id,
        "stage_id": meeting.stage_id,
        "kind": meeting.kind,
        "start": start,
        "end": end,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
        "is_public": meeting.is_public,
        "organizations": [o.id for o in meeting.organizations],
        "contacts": [a.contact_id for a in meeting.attendees if a.contact_id],
        "users": [a.user_id for a in meeting.attendees if a.user_id],
        "version": meeting.version,
    }


def _meeting_form(meeting: Meeting | None) -> MeetingForm:
    """Build the meeting form with its choices; only managers get the publish switch."""
    form = MeetingForm(data=_initial_data(meeting))
    if not has_role(current_user, "manager"):
        del form.is_public
    keep_contacts = set(form.contacts.data or []) | {
        a.contact_id for a in (meeting.attendees if meeting else []) if a.contact_id
    }
    keep_users = set(form.users.data or []) | {a.user_id for a in (meeting.attendees if meeting else []) if a.user_id}
    contacts, users = queries.people_to_invite(keep_contacts - {None}, keep_users - {None})
    form.load_choices(
        queries.elections_with_stages(),
        queries.organizations_to_choose(set(form.organizations.data or []) - {None}),
        queries.by_organization(contacts),
        users,
        str(get_locale()),
    )
    return form


def _save(form: MeetingForm, meeting: Meeting | None):
    """Validate and save the form; return the saved meeting, or None with errors on the form.

    A form opened before the meeting's last change raises one of locking.CONFLICTS.
    """
    if not form.validate_on_submit():
        return None
    try:
        if meeting is not None:
            locking.ensure_current(meeting, form.seen_version)
        saved = services.save_meeting(
            meeting, form.to_input(), current_user._get_current_object(), invite=form.send_invitations.data
        )
        db.session.flush()
    except services.MeetingInputError as exc:
        for name, message in exc.errors.items():
            form[name].errors = [*form[name].errors, message]
        db.session.rollback()
        return None
    form.saved_as(url_for("meetings.detail", meeting_id=saved.id))
    db.session.commit()
    flash(_("Meeting saved."), "success")
    return saved


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def create():
    """Record a meeting: when, where, with whom, and its agenda."""
    form = _meeting_form(None)
    meeting = _save(form, None)
    if meeting is not None:
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _form_page(form, None)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(meeting_id: int):
    """Change a meeting's details, organizations and invited people."""
    meeting = editable_meeting(meeting_id)
    form = _meeting_form(meeting)
    try:
        if _save(form, meeting) is not None:
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    except locking.CONFLICTS:
        db.session.rollback()
        conflict = changes_since("meetings", meeting_id, form.seen_version)
        form.version.data = meeting.version  # saving again now is a deliberate choice
        return _form_page(form, meeting, conflict)
    return _form_page(form, meeting)


def editable_meeting(meeting_id: int) -> Meeting:
    """Load a meeting to change it; an archived one sends the user back to its page with a note."""
    meeting = queries.load_meeting(meeting_id) or abort(404)
    try:
        services.ensure_editable(meeting)
    except services.MeetingError as exc:
        flash(str(exc), "warning")
        abort(redirect(url_for("meetings.detail", meeting_id=meeting_id)))
    return meeting


def _form_page(form: MeetingForm, meeting: Meeting | None, conflict: list | None = None):
    """Render the meeting form; 422 when it carries errors, 409 with what changed since it was opened."""
    election = meeting.election if meeting else active_election()
    timezone = election.timezone if election else DEFAULT_TZ
    extra = {"conflict": conflict} if conflict is not None else {}
    status = 409 if conflict is not None else 422 if form.errors else 200
    return render_template("meetings/form.html", form=form, meeting=meeting, timezone=timezone, **extra), status


def _detail_page(meeting: Meeting, attendance_form: AttendanceForm | None = None, status: int = 200):
    contacts, staff = queries.sorted_attendees(meeting)
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        contact_attendees=contacts,
        staff_attendees=staff,
        issues=queries.raised_issues(meeting),
        history=history_for("meetings", meeting.id),
        attendance_form=attendance_form or AttendanceForm(),
        attendance_open=meeting.start_dt <= utcnow(),
        send_minutes_form=SendMinutesForm(),
        now=utcnow(),
    ), status


@bp.get("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    """Show a meeting: details, people, agenda, minutes, issues raised, history."""
    return _detail_page(queries.load_meeting(meeting_id) or abort(404))


@bp.post("/<int:meeting_id>/attendance")
@role_required("staff")
def attendance(meeting_id: int):
    """Record who of the invited attended."""
    meeting = queries.load_meeting(meeting_id) or abort(404)
    form = AttendanceForm()
    if not form.validate_on_submit():
        return _detail_page(meeting, form, 422)
    try:
        services.record_attendance(meeting, form.attended_ids)
    except services.MeetingError as exc:
        flash(str(exc), "danger")
        return _detail_page(meeting, form, 422)
    db.session.commit()
    flash(_("Attendance saved."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="attendees"))


def _set_archived(meeting_id: int, archived: bool, message: str):
    meeting = db.get_or_404(Meeting, meeting_id)
    was_cancelled = meeting.is_cancelled
    services.set_archived(meeting, archived, utcnow())
    db.session.commit()
    if meeting.is_cancelled and not was_cancelled:
        message = _("Meeting archived and cancelled. The invited stakeholders are told.")
    flash(message, "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.post("/<int:meeting_id>/archive")
@role_required("manager")
def archive(meeting_id: int):
    """Archive a meeting: it leaves the lists and feeds, and stays readable here."""
    return _set_archived(meeting_id, True, _("Meeting archived."))


@bp.post("/<int:meeting_id>/restore")
@role_required("manager")
def restore(meeting_id: int):
    """Bring an archived meeting back to the lists."""
    return _set_archived(meeting_id, False, _("Meeting restored."))


@bp.post("/<int:meeting_id>/cancel")
@role_required("staff")
def cancel(meeting_id: int):
    """Call off a meeting still to come: the invited contacts get a cancellation for their calendar."""
    meeting = editable_meeting(meeting_id)
    try:
        services.cancel_meeting(meeting, utcnow())
    except services.MeetingError as exc:
        flash(str(exc), "danger")
        return _detail_page(meeting, status=422)
    db.session.commit()
    flash(_("Meeting cancelled. The invited stakeholders are told."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))
