"""Accountability reports: a report per stage or election, its versions, budget lines, channel log."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

DRAFT, SUBMITTED, APPROVED, PUBLISHED = "draft", "submitted", "approved", "published"
STATUSES = (DRAFT, SUBMITTED, APPROVED, PUBLISHED)
CHANNELS = ("website", "instagram", "facebook", "x", "whatsapp", "press_release", "radio", "notice_board")


class AccountabilityReport(db.Model):
    """A performance report of the election body, for one stage or the whole election, kept in versions."""

    __tablename__ = "accountability_reports"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), index=True, info={"label": _l("Election")}
    )
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("stages.id"), index=True, info={"label": _l("Stage")}
    )  # none: whole election
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Title")})  # the newest version's title
    published_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime, index=True, info={"label": _l("Published")}
    )  # first publication; none: never
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Published by")})
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Created by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    election = relationship("Election")
    stage = relationship("Stage")
    published_by = relationship("User", foreign_keys=[published_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    versions: Mapped[list["ReportVersion"]] = relationship(
        back_populates="report", order_by="ReportVersion.number", cascade="all, delete-orphan"
    )
    channel_posts: Mapped[list["ChannelPost"]] = relationship(
        back_populates="report", order_by="ChannelPost.posted_date.desc()", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> "ReportVersion | None":
        """Return the newest version, whatever its status."""
        return self.versions[-1] if self.versions else None

    @property
    def latest_published(self) -> "ReportVersion | None":
        """Return the newest published version, or None."""
        return next((v for v in reversed(self.versions) if v.status == PUBLISHED), None)

    def __repr__(self) -> str:
        return f"<AccountabilityReport {self.id} {self.title!r}>"


class ReportVersion(db.Model):
    """One version of a report: its text, frozen figures, budget lines and PDF; never edited once published."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_reports.id", ondelete="CASCADE"), index=True, info={"label": _l("Report")}
    )
    number: Mapped[int] = mapped_column(Integer, default=1, info={"label": _l("Version")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Title")})
    narrative: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Narrative")})  # Markdown
    # what a correction changed (version 2 on)
    change_note: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Change note")})
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True, info={"label": _l("Status")})
    figures: Mapped[dict] = mapped_column(
        JSON, default=dict, info={"label": _l("Figures")}
    )  # computed from the data, frozen at approval
    registered_voters: Mapped[int | None] = mapped_column(BigInteger, info={"label": _l("Registered voters")})
    voters_turnout: Mapped[int | None] = mapped_column(
        BigInteger, info={"label": _l("Voters who voted")}
    )  # people who voted
    previous_registered_voters: Mapped[int | None] = mapped_column(
        BigInteger, info={"label": _l("Registered voters, previous election")}
    )  # the previous election's
    previous_turnout: Mapped[int | None] = mapped_column(
        BigInteger, info={"label": _l("Voters who voted, previous election")}
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Author")})
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Submitted")})
    approved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Approved")})
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Approved by")})
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, info={"label": _l("Published")})
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Published by")})
    pdf_sha256: Mapped[str | None] = mapped_column(
        String(64), info={"label": _l("PDF (SHA-256)")}
    )  # the PDF rendered at approval, in the file store
    pdf_size: Mapped[int | None] = mapped_column(info={"label": _l("PDF size")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[AccountabilityReport] = relationship(back_populates="versions")
    author = relationship("User", foreign_keys=[author_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="version", order_by="BudgetLine.position", cascade="all, delete-orphan"
    )

    @property
    def is_editable(self) -> bool:
        """Tell whether the text and budget lines may still change (drafts only)."""
        return self.status == DRAFT

    def __repr__(self) -> str:
        return f"<ReportVersion {self.report_id} v{self.number} {self.status}>"


class BudgetLine(db.Model):
    """A line of the budget realisation: money in whole rupiah."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    account_code: Mapped[str] = mapped_column(String(40))  # account or activity code
    description: Mapped[str] = mapped_column(String(300))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    allocated: Mapped[int] = mapped_column(BigInteger, default=0)  # rupiah
    realised: Mapped[int] = mapped_column(BigInteger, default=0)  # rupiah
    variance_note: Mapped[str] = mapped_column(Text, default="")  # why realised differs from allocated

    version: Mapped[ReportVersion] = relationship(back_populates="budget_lines")
    stage = relationship("Stage")

    @property
    def variance(self) -> int:
        """Return realised minus allocated, in rupiah."""
        return self.realised - self.allocated

    @property
    def percent(self) -> float | None:
        """Return the share of the allocation realised, in percent (None without an allocation)."""
        return self.realised * 100 / self.allocated if self.allocated else None


class ChannelPost(db.Model):
    """Where a published report went: a channel, a link, a date, recorded by a manager."""

    __tablename__ = "channel_posts"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_reports.id", ondelete="CASCADE"), index=True, info={"label": _l("Report")}
    )
    channel: Mapped[str] = mapped_column(String(20), index=True, info={"label": _l("Channel")})  # one of CHANNELS
    url: Mapped[str] = mapped_column(String(500), default="", info={"label": _l("Link")})
    posted_date: Mapped[date] = mapped_column(info={"label": _l("Posted on")})
    note: Mapped[str] = mapped_column(String(300), default="", info={"label": _l("Note")})
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Recorded by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[AccountabilityReport] = relationship(back_populates="channel_posts")
    recorded_by = relationship("User")
