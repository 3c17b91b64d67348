"""Login, the second step, logout and the user's own account."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth import bp, lifecycle, services, sessions, throttle, twofactor
from coordapp.auth.access import login_required, public
from coordapp.auth.forms import AccountForm, CodeForm, LoginForm, PasswordChangeForm
from coordapp.auth.models import User
from coordapp.auth.security_log import recent_sign_ins, record
from coordapp.core.urls import safe_next
from coordapp.extensions import db, limiter

PENDING_SECONDS = 300  # the second step must follow the password within five minutes


def _login_account_key() -> str:
    # Per account AND address: a guesser elsewhere never locks the owner out.
    return "login-account:" + (request.form.get("email") or "").strip().lower() + "@" + (request.remote_addr or "")


def _throttled(template: str, form, email: str, **context):
    """Answer 429 when this address must wait before trying this account again, else None."""
    wait = throttle.wait_seconds(email, request.remote_addr or "")
    if not wait:
        return None
    record("login_throttled", email=email)
    db.session.commit()
    message = _("Too many failed attempts from this address. Wait %(n)d seconds and try again.", n=wait)
    response = render_template(template, form=form, throttle_message=message, **context)
    return response, 429, {"Retry-After": str(wait)}


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
    """Log a user in with email and password (then a code, when two-factor sign-in is on)."""
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if throttled := _throttled("auth/login.html", form, email):
            return throttled
        user = services.authenticate(email, form.password.data)
        if user is None:
            db.session.rollback()
            lifecycle.failed("login_failure", email, request.remote_addr or "")
            db.session.commit()
            form.password.errors.append(_("Wrong email or password, or the account is inactive."))
        elif user.has_two_factor:
            db.session.commit()  # a rehashed password
            session.clear()
            session[sessions.PENDING_2FA] = {
                "user": user.id,
                "version": user.session_version,
                "remember": bool(form.remember.data),
                "next": safe_next(),
                "at": sessions._now(),
            }
            return redirect(url_for("auth.login_code"))
        else:
            lifecycle.signed_in(user)
            db.session.commit()
            sessions.start(user, remember=form.remember.data)
            return redirect(safe_next())
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


def _pending_user() -> tuple[User | None, dict]:
    pending = session.get(sessions.PENDING_2FA) or {}
    if not pending or sessions._now() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = db.session.get(User, pending.get("user", 0))
    if user is None or not user.is_active or user.session_version != pending.get("version"):
        return None, {}
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
def login_code():
    """Second step of the sign-in: a code from the authenticator app or a recovery code."""
    user, pending = _pending_user()
    if user is None:
        session.pop(sessions.PENDING_2FA, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if throttled := _throttled("auth/login_code.html", form, user.email):
            return throttled
        used = twofactor.verify(user, form.code.data)
        if used is None:
            db.session.rollback()
            lifecycle.failed("2fa_failure", user.email, request.remote_addr or "")
            db.session.commit()
            form.code.errors.append(_("This code is wrong or was already used."))
        else:
            if used == "recovery":
                record("recovery_code_used", user=user)
            lifecycle.signed_in(user, detail="2fa")
            db.session.commit()
            sessions.start(user, remember=pending.get("remember", False))
            if used == "recovery":  # after start(): a fresh session drops earlier flashes
                left = twofactor.remaining_recovery_codes(user)
                flash(_("You used a recovery code; %(n)d remain.", n=left), "warning")
            return redirect(pending.get("next") or url_for("elections.home"))
    return render_template("auth/login_code.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out everywhere: every session and remember cookie of this user ends."""
    services.end_all_sessions(current_user)
    record("logout", user=current_user._get_current_object())
    db.session.commit()
    sessions.end()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _account_page(form, password_form, status: int = 200):
    user = current_user._get_current_object()
    return (
        render_template(
            "auth/account.html",
            form=form,
            password_form=password_form,
            sign_ins=recent_sign_ins(user),
            codes_left=twofactor.remaining_recovery_codes(user) if user.has_two_factor else 0,
        ),
        status,
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show and change the user's own name and language; list recent sign-ins."""
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.language = form.language.data
        current_user.email_notifications = form.email_notifications.data
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(form, password_form, 422 if form.errors else 200)


@bp.post("/password")
@login_required
def change_password():
    """Change the user's own password; every other session ends and the user is told by email."""
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    password_form.user = user = current_user._get_current_object()  # login must get the user, not the proxy
    if password_form.validate_on_submit():
        wait = throttle.wait_seconds(user.email, request.remote_addr or "")
        if wait:
            record("login_throttled", user=user, detail="current password")
            db.session.commit()
            msg = _("Too many failed attempts from this address. Wait %(n)d seconds and try again.", n=wait)
            password_form.current_password.errors.append(msg)
            return _account_page(form, password_form, 429)
        if services.authenticate(user.email, password_form.current_password.data) is None:
            lifecycle.failed("password_check_failure", user.email, request.remote_addr or "")
            db.session.commit()
            password_form.current_password.errors.append(_("The current password is wrong."))
        else:
            lifecycle.change_password(user, password_form.new_password.data)
            db.session.commit()
            remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            sessions.start(user, remember=remember)  # this session carries the new session version
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.account"))
    db.session.rollback()
    return _account_page(form, password_form, 422)
