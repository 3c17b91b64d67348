"""Idempotent form posts: a form carries a one-time token, and a second submit of it saves nothing.

A form that creates or changes something mixes in ``SubmitOnceMixin``: its hidden
``submission_token`` is new each time the form is shown and travels back with every retry of
that same form. When the form validates, the token is claimed: a ``form_submissions`` row,
in the transaction of the write itself, whose primary key a second submit cannot take again.
The view names what was saved (``form.saved_as(url)``) so a replay is sent there. Tokens are
kept a day.
"""

import re
import secrets
from datetime import datetime, timedelta

from flask import Flask, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

KEEP = timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormSubmission(db.Model):
    """A form token already used, and the page of what that submit saved."""

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    result_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AlreadySubmitted(Exception):
    """This form was sent before and saved; result_url shows what it saved ("" when unknown)."""

    def __init__(self, result_url: str = ""):
        super().__init__(result_url)
        self.result_url = result_url


def new_token() -> str:
    """Return a fresh random form token."""
    return secrets.token_urlsafe(24)


def _user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def used(token: str) -> FormSubmission | None:
    """Return the submission that already used token, or None."""
    return db.session.get(FormSubmission, token)


def claim(token: str) -> FormSubmission:
    """Take token in this transaction, before its write; raise AlreadySubmitted when another submit has it."""
    if (earlier := used(token)) is not None:
        raise AlreadySubmitted(earlier.result_url if earlier.user_id == _user_id() else "")
    prune()
    submission = FormSubmission(token=token, user_id=_user_id(), created_dt=utcnow())
    db.session.add(submission)
    try:
        db.session.flush()  # the key is taken now, before the write: a twin waits here, then fails
    except IntegrityError:  # the twin claimed it first and has committed: this one saves nothing
        db.session.rollback()
        earlier = used(token)
        raise AlreadySubmitted(earlier.result_url if earlier and earlier.user_id == _user_id() else "") from None
    return submission


def prune(now: datetime | None = None) -> int:
    """Forget tokens older than a day; return how many."""
    cutoff = (now or utcnow()) - KEEP
    return db.session.execute(db.delete(FormSubmission).where(FormSubmission.created_dt < cutoff)).rowcount


class SubmitOnceMixin:
    """A form whose successful submit can happen once: mix in before FlaskForm."""

    submission_token = HiddenField(default=new_token)

    def validate_on_submit(self, extra_validators=None) -> bool:
        """Validate; a token already used raises AlreadySubmitted, a valid form claims its token."""
        token = self._submission_token()
        if self.is_submitted() and token and (earlier := used(token)) is not None:
            raise AlreadySubmitted(earlier.result_url if earlier.user_id == _user_id() else "")
        valid = super().validate_on_submit(extra_validators)
        if valid and token:
            self._submission = claim(token)
        return valid

    def _submission_token(self) -> str | None:
        """Return the token sent back, if it looks like one (a form sent without it is simply not deduplicated)."""
        value = self.submission_token.data or ""
        return value if TOKEN.fullmatch(value) else None

    def saved_as(self, url: str) -> None:
        """Remember the page of what this submit saved, for a replay of it."""
        submission = getattr(self, "_submission", None)
        if submission is not None:
            submission.result_url = url[:500]


def _already_submitted(error: AlreadySubmitted):
    """Send a repeated submit to what the first one saved, saying so."""
    db.session.rollback()
    flash(_("This form was already sent and saved; it was not saved twice."), "info")
    return redirect(error.result_url or url_for("elections.home"), 303)


def init_app(app: Flask) -> None:
    """Answer a repeated submit with a redirect to what the first one saved."""
    app.register_error_handler(AlreadySubmitted, _already_submitted)
