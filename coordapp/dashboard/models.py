"""Managers' state: saved issue filters and accountability reports (the indexes the board reads are on their models)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class SavedFilter(db.Model):
    """A named issue filter a user keeps; shared ones are offered to every manager."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    args: Mapped[dict] = mapped_column(JSON, default=dict)  # IssueFilter.to_args(), lists kept as lists
    is_shared: Mapped[bool] = mapped_column(default=False, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<SavedFilter {self.id} {self.name!r}>"


class AccountabilityReport(db.Model):
    """A performance report of the election body, for one stage or the whole election."""

    __tablename__ = "accountability_reports"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), index=True, info={"label": _l("Election")}
    )
    # none: whole election
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), index=True, info={"label": _l("Stage")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Title")})
    body: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Report")})
    # scorecard snapshot at publication
    metrics: Mapped[dict] = mapped_column(JSON, default=dict, info={"label": _l("Figures")})
    # none: draft
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, info={"label": _l("Published")})
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Published by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    election = relationship("Election")
    stage = relationship("Stage")
    published_by = relationship("User")

    def __repr__(self) -> str:
        return f"<AccountabilityReport {self.id} {self.title!r}>"
