"""Which database minitwit uses, how SQLite is set up, and ``init-db``.

SQLite, a file in the instance folder, is the default: nothing to install.
Set ``DATABASE_URL`` (for example ``postgresql://minitwit@/minitwit``) and
the same code runs on PostgreSQL, through the psycopg 3 driver.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

import click
import flask_migrate  # type: ignore[import-untyped]  # ships no hints
from flask import Flask, render_template
from flask.cli import with_appcontext
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from minitwit.extensions import db, migrate


def database_uri(config: Mapping[str, Any]) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` if set, else the SQLite file."""
    url = config.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{config['DATABASE']}"
    # Hosting services write postgres:// or postgresql://; name the driver.
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def set_sqlite_pragmas(
    dbapi_connection: sqlite3.Connection, connection_record: Any
) -> None:
    """Set up each new SQLite connection the way a web app needs it."""
    cursor = dbapi_connection.cursor()
    # SQLite ignores REFERENCES and ON DELETE CASCADE unless asked.
    cursor.execute("PRAGMA foreign_keys = ON")
    # Readers do not wait for the writer, nor the writer for readers.
    cursor.execute("PRAGMA journal_mode = WAL")
    # A second writer waits up to 10 s for the first instead of failing.
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def init_db() -> None:
    """Drop every table, then build the schema with the migrations."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    flask_migrate.upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo(f"Initialised the database at {db.engine.url!r}.")


def is_missing_table(error: DBAPIError) -> bool:
    """Tell whether ``error`` means the tables were never created."""
    # 42P01 is PostgreSQL's "undefined table"; SQLite says it in words.
    return getattr(
        error.orig, "sqlstate", None
    ) == "42P01" or "no such table" in str(error.orig)


def database_setup_page(error: DBAPIError):
    """Show the command that creates the tables, not a traceback."""
    if not is_missing_table(error):
        raise error
    return render_template("setup_needed.html"), 503


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy and Flask-Migrate to ``app``; add ``init-db``."""
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri(app.config))
    db.init_app(app)
    migrate.init_app(app, db)
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", set_sqlite_pragmas)
    app.cli.add_command(init_db_command)
    app.register_error_handler(DBAPIError, database_setup_page)
