"""SQL constructs the models' indexes are built on (so a model can declare them without a feature above it)."""

from collections.abc import Callable

from sqlalchemy import Float
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class duration_key(FunctionElement):
    """The indexable span from a start to an end timestamp: days on SQLite, seconds on PostgreSQL.

    One construct for both databases, so one expression index serves each; ORDER BY on
    it walks that index.
    """

    name = "duration_key"
    type = Float()
    inherit_cache = True


@compiles(duration_key)
def _duration_in_days(element, compiler, **kw):
    end, start = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(duration_key, "postgresql")
def _duration_in_seconds(element, compiler, **kw):
    end, start = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(epoch FROM {end} - {start})"


def upsert(connection, table, rows: list[dict], keys: list, update: Callable[[object], dict]) -> None:
    """Insert rows into table, updating a row whose keys already exist: one INSERT ... ON CONFLICT DO UPDATE.

    keys: the columns (or expressions) of the unique index the conflict is on; update(excluded) returns the
    SET clause, excluded being the row that was refused (for "n = n + excluded.n"). SQLite and PostgreSQL.
    """
    construct = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = construct(table).values(rows)
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=update(statement.excluded)))
