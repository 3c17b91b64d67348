"""Admin: the backup archives (list) and a backup on demand (handed to a worker)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.core import backup
from coordapp.core.tasks import daily_backup
from coordapp.forms import TranslatedForm
from coordapp.ops import bp


class BackupNowForm(TranslatedForm):
    """The "Back up now" button (CSRF only)."""


@bp.get("/admin/backups")
@role_required("admin")
def backups():
    """List the backup archives, newest first, with what their manifests say."""
    return render_template(
        "ops/backups.html",
        archives=backup.summaries(backup.backup_folder()),
        form=BackupNowForm(),
    )


@bp.post("/admin/backups")
@role_required("admin")
def backup_now():
    """Ask a worker for a backup now."""
    form = BackupNowForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("ops.backups"))
    daily_backup.delay()
    flash(_("A backup was requested; it appears here when a worker has written it."), "success")
    return redirect(url_for("ops.backups"))
