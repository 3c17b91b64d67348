"""Login, logout and the user's own account."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from coordapp.auth import bp, services
from coordapp.auth.access import login_required, public
from coordapp.auth.forms import AccountForm, LoginForm, PasswordChangeForm
from coordapp.core.urls import safe_next
from coordapp.extensions import db, limiter


def _login_account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"],
    methods=["POST"],
    key_func=_login_account_key,
    scope="login-account",
)
def login():
    """Log a user in with email and password."""
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            session.clear()  # a fresh session: nothing from before the login survives it
            login_user(user, remember=form.remember.data)
            return redirect(safe_next())
        db.session.rollback()
        form.password.errors.append(_("Wrong email or password, or the account is inactive."))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out everywhere: every session and remember cookie of this user ends."""
    services.end_all_sessions(current_user)
    db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show and change the user's own name and language."""
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.language = form.language.data
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=password_form), 422 if form.errors else 200


@bp.post("/password")
@login_required
def change_password():
    """Change the user's own password; every other session ends."""
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    if password_form.validate_on_submit():
        if services.authenticate(current_user.email, password_form.current_password.data) is None:
            password_form.current_password.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()  # login_user must get the user, not the proxy
            services.set_password(user, password_form.new_password.data)
            db.session.commit()
            # This session (and its remember cookie, if it had one) carries the new session version.
            login_user(
                user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            )
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.account"))
    db.session.rollback()
    return render_template("auth/account.html", form=form, password_form=password_form), 422
