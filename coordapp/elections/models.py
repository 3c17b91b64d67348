"""Elections and their ordered stages (tahapan)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.extensions import db

PHASES = ("preparation", "implementation")


class Election(db.Model):
    __tablename__ = "elections"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Name")})
    slug: Mapped[str] = mapped_column(String(80), unique=True, info={"label": _l("Short code")})
    region: Mapped[str] = mapped_column(String(120), default="", info={"label": _l("Region")})
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta", info={"label": _l("Timezone")})
    voting_date: Mapped[date | None] = mapped_column(info={"label": _l("Voting day")})
    is_active: Mapped[bool] = mapped_column(default=True, index=True, info={"label": _l("Active")})

    stages: Mapped[list["Stage"]] = relationship(
        back_populates="election", order_by="Stage.position", cascade="all, delete-orphan"
    )

    def stage_on(self, day: date) -> "Stage | None":
        """Return the stage whose dates contain day (the latest-starting one when they overlap)."""
        matching = [s for s in self.stages if s.start_date and s.end_date and s.start_date <= day <= s.end_date]
        return max(matching, key=lambda s: (s.start_date, s.position)) if matching else None

    def current_stage(self, today: date) -> "Stage | None":
        """Return the stage running today; between or after stages, the one that ran latest.

        "Ran latest" is the started stage whose end is nearest today (ongoing ones count as
        ending today), so the current stage never moves back when a stage ends: after the
        last stage of an election, the one that ended last stays current.
        """
        running = self.stage_on(today)
        if running:
            return running
        started = [s for s in self.stages if s.start_date and s.start_date <= today]

        def ran_until(stage: "Stage") -> date:
            return min(stage.end_date, today) if stage.end_date else today

        return max(started, key=lambda s: (ran_until(s), s.start_date, s.position)) if started else None

    def __repr__(self) -> str:
        return f"<Election {self.slug}>"


class Stage(db.Model):
    __tablename__ = "stages"
    __audited__ = True
    __table_args__ = (UniqueConstraint("election_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), index=True, info={"label": _l("Election")}
    )
    position: Mapped[int] = mapped_column(info={"label": _l("Order")})
    code: Mapped[str] = mapped_column(String(40), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(String(200), info={"label": _l("Name (Indonesian)")})  # Indonesian
    name_en: Mapped[str] = mapped_column(String(200), default="", info={"label": _l("Name (English)")})
    # preparation|implementation
    phase: Mapped[str] = mapped_column(String(16), default="preparation", info={"label": _l("Phase"), "coded": "phase"})
    start_date: Mapped[date | None] = mapped_column(info={"label": _l("Start date")})
    end_date: Mapped[date | None] = mapped_column(info={"label": _l("End date")})

    election: Mapped[Election] = relationship(back_populates="stages")

    def display_name(self, locale: str) -> str:
        """Return the stage name in the reader's language."""
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Stage {self.position} {self.code}>"
