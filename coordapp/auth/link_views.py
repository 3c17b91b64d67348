"""Pages reached from an email or the login page: forgotten password, reset and invitation links, 2FA setup."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth import bp, lifecycle, tokens, twofactor
from coordapp.auth.access import login_required, public, signed_link
from coordapp.auth.forms import CodeForm, ForgotPasswordForm, SetPasswordForm
from coordapp.extensions import db, limiter


def _reset_address_key() -> str:
    return "reset-address:" + (request.form.get("email") or "").strip().lower()


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"],
    methods=["POST"],
    key_func=_reset_address_key,
    scope="reset-address",
)
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        lifecycle.request_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "If an active account uses this address, a link to choose a new password is on its way. "
                "It works once, for %(n)d minutes.",
                n=current_app.config["PASSWORD_RESET_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def _password_page(purpose: str, token: str, title: str, done_message: str):
    link = tokens.find(token, purpose)
    if link is None:
        return render_template("auth/link_gone.html"), 404
    form = SetPasswordForm()
    form.user = link.user
    if form.validate_on_submit():
        if purpose == tokens.INVITE:
            lifecycle.set_first_password(link, form.new_password.data)
        else:
            lifecycle.finish_reset(link, form.new_password.data)
        db.session.commit()
        flash(done_message, "success")
        return redirect(url_for("auth.login"))
    page = render_template("auth/set_password.html", form=form, title=title, user=link.user)
    return page, 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@signed_link
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
def reset_password(token: str):
    """Choose a new password from a reset link (one use, short-lived)."""
    return _password_page(
        tokens.RESET, token, _("Choose a new password"), _("Your password is changed. Log in with it.")
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
@signed_link
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
def accept_invitation(token: str):
    """Choose the first password from an invitation link."""
    return _password_page(
        tokens.INVITE, token, _("Welcome to CoordApp: choose your password"), _("Your password is set. Log in with it.")
    )


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up two-factor sign-in: scan the QR code, confirm with a first code, keep the recovery codes."""
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit() and user.totp_secret and not user.has_two_factor:
        codes = twofactor.confirm_enrolment(user, form.code.data)
        if codes is not None:
            lifecycle.two_factor_enabled(user)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
        db.session.rollback()
        form.code.errors.append(_("This code is wrong or was already used."))
    elif request.method == "GET" and not user.has_two_factor:
        twofactor.start_enrolment(user)  # a new secret for each visit of the setup page
        db.session.commit()
    elif request.method == "POST" and not form.errors:
        return redirect(url_for("auth.two_factor"))
    qr = twofactor.qr_svg(user) if user.totp_secret and not user.has_two_factor else None
    return render_template("auth/two_factor.html", form=form, qr=qr), 422 if form.errors else 200


@bp.post("/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    """Replace the user's recovery codes with ten new ones, shown once."""
    user = current_user._get_current_object()
    if not user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    codes = twofactor.new_recovery_codes(user)
    lifecycle.two_factor_enabled(user, detail="new recovery codes")
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)
