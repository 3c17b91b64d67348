"""Database settings: WAL, foreign keys and a busy timeout on SQLite; no statement values in errors (any database)."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Install the connection hook once for every engine of the process."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _sqlite_pragmas)
        _installed = True
    # A database error quotes its statement; without its values (addresses, names, hashes) it can be logged.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A long-running web request and the worker share one file: wait, do not fail.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 10},
        }
