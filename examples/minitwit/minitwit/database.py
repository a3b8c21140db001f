"""Which database minitwit uses, how each engine is set up, and ``init-db``.

SQLite, a file in the instance folder, is the default: nothing to install.
Set ``DATABASE_URL`` (for example ``postgresql://minitwit@/minitwit``) and
the same code runs on PostgreSQL, through the psycopg 3 driver.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import flask_migrate  # type: ignore[import-untyped]  # ships no hints
from flask import Flask, render_template
from flask.cli import with_appcontext
from sqlalchemy import CheckConstraint, Index, event, func, make_url, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from minitwit.models import MESSAGE_MAX_LENGTH, Message, User, db, follower

#: Flask-Migrate: ``flask --app minitwit db upgrade`` and friends. The
#: migrations live in the package, so they travel with ``pip install``.
migrate = flask_migrate.Migrate(
    directory=str(Path(__file__).parent / "migrations"),
    render_as_batch=True,  # SQLite changes a table by copying it
)


def database_uri(config: dict[str, Any]) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` if set, else the SQLite file.

    On PostgreSQL, each connection asks for times in UTC, whatever the
    server's own time zone.
    """
    url = config.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{config['DATABASE']}"
    # Hosting services write postgres:// or postgresql://; name the driver.
    url = make_url(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url))
    utc = url.update_query_dict({"options": "-c timezone=UTC"})
    return utc.render_as_string(hide_password=False)


def set_up_sqlite(dbapi_connection: Any, record: Any) -> None:
    """Set up each new SQLite connection the way a web app needs it."""
    cursor = dbapi_connection.cursor()
    # SQLite ignores REFERENCES and ON DELETE CASCADE unless asked.
    cursor.execute("PRAGMA foreign_keys = ON")
    # Readers do not wait for the writer, nor the writer for readers; and
    # a commit does not wait for the disk (a power cut may lose the last
    # ones, never the file).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # A second writer waits up to 10 s for the first instead of failing.
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    flask_migrate.upgrade()
    click.echo(f"Initialised the database at {db.engine.url!r}.")


def taken_meanwhile(error: IntegrityError):
    """Explain that a name or address was taken a moment ago (a race)."""
    db.session.rollback()
    return render_template("taken_meanwhile.html"), 409


def tables_missing(error: DBAPIError) -> bool:
    """Whether ``error`` says that the tables were never created."""
    # 42P01 is PostgreSQL's "undefined table"; SQLite says it in words.
    missing = getattr(error.orig, "sqlstate", None) == "42P01"
    return missing or "no such table" in str(error.orig)


def setup_needed(error: DBAPIError):
    """Show the command that creates the tables, not a traceback."""
    if not tables_missing(error):
        raise error
    return render_template("setup_needed.html"), 503


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy and Flask-Migrate to ``app``; add ``init-db``."""
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri(app.config))
    db.init_app(app)
    migrate.init_app(app, db)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", set_up_sqlite)
    app.cli.add_command(init_db_command)
    app.register_error_handler(DBAPIError, setup_needed)
    app.register_error_handler(IntegrityError, taken_meanwhile)


# --- what keeps the data right and every page fast --------------------------

# One account per name and per address, in any case: "Alice" is "alice",
# "ÉLODIE@example.com" is "élodie@example.com". Each lookup by name or
# address reads these indexes. Names are ASCII, which lower() knows on
# every engine; addresses are compared by the key Python computes.
Index("ix_account_username_lower", func.lower(User.username), unique=True)
Index("ix_account_email_key", User.email_key, unique=True)
# The database refuses an empty message, or one longer than the form allows.
db.metadata.tables["message"].append_constraint(
    CheckConstraint(
        f"length(text) BETWEEN 1 AND {MESSAGE_MAX_LENGTH}", name="length"
    )
)
# A user's page and the home timeline read one author's shown messages,
# newest first: one range of this index per author. It holds the shown
# messages only; the id breaks ties; with hidden, SQLite reads no row.
Index(
    "ix_message_author_id_pub_date",
    Message.author_id,
    Message.pub_date,
    Message.id,
    Message.hidden,
    sqlite_where=Message.hidden.is_(None),
    postgresql_where=Message.hidden.is_(None),
)
# All of one author's messages, hidden or not: to delete or suspend them.
Index("ix_message_author_id", Message.author_id)
# The public timeline: everyone's shown messages, newest first.
Index(
    "ix_message_pub_date",
    Message.pub_date,
    Message.id,
    sqlite_where=Message.hidden.is_(None),
    postgresql_where=Message.hidden.is_(None),
)
# Someone's followers (the primary key finds whom someone follows).
Index("ix_follower_whom_id_who_id", follower.c.whom_id, follower.c.who_id)
