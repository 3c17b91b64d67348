"""Admin pages: create users, change their role, deactivate them."""

import secrets

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth import bp, services
from coordapp.auth.access import role_required
from coordapp.auth.forms import UserCreateForm, UserEditForm
from coordapp.auth.models import User
from coordapp.extensions import db


@bp.get("/users")
@role_required("admin")
def users():
    """List every user with role and state."""
    rows = db.session.execute(db.select(User).order_by(User.is_active.desc(), User.name)).scalars().all()
    return render_template("auth/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def create_user():
    """Create a user; a generated initial password is shown once."""
    form = UserCreateForm()
    if form.validate_on_submit():
        password = form.password.data or secrets.token_urlsafe(12)
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.role.data, password, language=form.language.data
            )
        except services.AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.flush()
            form.saved_as(url_for("auth.edit_user", user_id=user.id))
            db.session.commit()
            if not form.password.data:
                flash(
                    _(
                        "Initial password for %(email)s: %(password)s (shown only now)",
                        email=user.email,
                        password=password,
                    ),
                    "warning",
                )
            else:
                flash(_("User %(email)s created.", email=user.email), "success")
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
            if (was_active and not user.is_active) or old_role != user.role:
                services.end_all_sessions(user)
            db.session.commit()
            flash(_("User %(email)s saved.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200
