"""The publication kit of a published report and its channel log (managers)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import role_required
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.reports import bp, kit
from coordapp.reports.forms import ChannelPostForm
from coordapp.reports.models import AccountabilityReport, ChannelPost


def _kit_page(report: AccountabilityReport, form: ChannelPostForm, status: int = 200):
    version = report.latest_published
    text = kit.social_text(version) if version else ""
    return render_template(
        "reports/kit.html",
        report=report,
        version=version,
        form=form,
        text=text,
        whatsapp=kit.whatsapp_link(text) if text else "",
        public_url=kit.report_url(report),
    ), status


@bp.get("/<int(max=2147483647):report_id>/kit")
@role_required("manager")
def publication_kit(report_id: int):
    """Show the kit of a published report: text for social media and WhatsApp, share image, QR; the channel log."""
    report = db.get_or_404(AccountabilityReport, report_id)
    form = ChannelPostForm(data={"posted_date": local_today(report.election.timezone)})
    return _kit_page(report, form)


@bp.post("/<int(max=2147483647):report_id>/channels")
@role_required("manager")
def add_channel_post(report_id: int):
    """Record where a published report went."""
    report = db.get_or_404(AccountabilityReport, report_id)
    form = ChannelPostForm()
    if report.latest_published is None:
        form.channel.errors = [_("Only a published report can be posted.")]
        return _kit_page(report, form, 409)
    if not form.validate_on_submit():
        return _kit_page(report, form, 422)
    post = ChannelPost(recorded_by=current_user, url=form.url.data or "", note=form.note.data or "")
    post.channel, post.posted_date = form.channel.data, form.posted_date.data
    report.channel_posts.append(post)
    db.session.commit()
    flash(_("Channel recorded."), "success")
    return redirect(url_for("reports.publication_kit", report_id=report.id, _anchor="channels"))


@bp.post("/channels/<int(max=2147483647):post_id>/delete")
@role_required("manager")
def delete_channel_post(post_id: int):
    """Remove a wrong entry from the channel log."""
    post = db.get_or_404(ChannelPost, post_id)
    report_id = post.report_id
    db.session.delete(post)
    db.session.commit()
    flash(_("Channel entry removed."), "success")
    return redirect(url_for("reports.publication_kit", report_id=report_id, _anchor="channels"))
