"""Admin pages: invite users, change their role, deactivate them, re-send or revoke invitations, reset 2FA."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth import bp, lifecycle, mail, services, tokens
from coordapp.auth.access import role_required
from coordapp.auth.forms import UserCreateForm, UserEditForm
from coordapp.auth.models import User
from coordapp.extensions import db


@bp.get("/users")
@role_required("admin")
def users():
    """List every user with role and state (invited users with their link's expiry)."""
    rows = db.session.execute(db.select(User).order_by(User.is_active.desc(), User.name)).scalars().all()
    return render_template(
        "auth/users.html", users=rows, invitations=tokens.live_invitations(), sending=mail.waiting("invitation")
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def create_user():
    """Invite a user: they get an email with a one-time link to choose their own password."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = lifecycle.invite(form.email.data, form.name.data, form.role.data, language=form.language.data)
        except services.AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.flush()
            form.saved_as(url_for("auth.edit_user", user_id=user.id))
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    """Change a user's name, role, language or active state."""
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.is_active.data):
            form.role.errors.append(_("You cannot remove your own administrator rights."))
        else:
            was_active, old_role = user.is_active, user.role
            form.populate_obj(user)
            lifecycle.admin_changed(user, was_active, old_role)
            db.session.commit()
            flash(_("User %(email)s saved.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200


def _invited(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if user.has_password:
        abort(409, description=_("This user has already chosen a password."))
    return user


@bp.post("/users/<int:user_id>/invitation")
@role_required("admin")
def resend_invitation(user_id: int):
    """Send a new invitation link; the previous one stops working."""
    user = _invited(user_id)
    lifecycle.resend_invitation(user)
    db.session.commit()
    flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.users"))


@bp.post("/users/<int:user_id>/invitation/revoke")
@role_required("admin")
def revoke_invitation(user_id: int):
    """Make the user's invitation link unusable."""
    user = _invited(user_id)
    lifecycle.revoke_invitation(user)
    db.session.commit()
    flash(_("The invitation of %(email)s is revoked.", email=user.email), "success")
    return redirect(url_for("auth.users"))


@bp.post("/users/<int:user_id>/two-factor/reset")
@role_required("admin")
def reset_two_factor(user_id: int):
    """Turn off a user's two-factor sign-in (a lost phone); they set it up again at their next sign-in."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(409, description=_("Ask another administrator to reset your own two-factor sign-in."))
    lifecycle.reset_two_factor(user, current_user._get_current_object())
    db.session.commit()
    flash(_("Two-factor sign-in of %(email)s is reset.", email=user.email), "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))
