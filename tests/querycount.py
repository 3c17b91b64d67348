"""Count the SQL statements a block of code runs (for fixed-query-count tests)."""

from contextlib import contextmanager

from sqlalchemy import event

from coordapp.extensions import db


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            self.statements.append(statement)


@contextmanager
def count_queries():
    """Yield a counter of the statements run on the app's engine inside the block."""
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
