"""A flag on a database session for the length of a block: listeners that must stay silent read it."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def flagged(session: Session, key: str) -> Iterator[None]:
    """Set session.info[key] while the block runs (bulk imports, demo data: no notices, no notifications)."""
    session.info[key] = True
    try:
        yield
    finally:
        session.info.pop(key, None)
