"""State the system keeps about itself."""

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class WorkerHeartbeat(db.Model):
    """The last time a Celery worker ran the heartbeat task, per worker host."""

    __tablename__ = "worker_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(200), unique=True)
    seen_dt: Mapped[datetime] = mapped_column(UTCDateTime)


class OpsGauge(db.Model):
    """A figure a process records for /metrics to read (the last sweep's duration, ...), by name."""

    __tablename__ = "ops_gauges"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime)
