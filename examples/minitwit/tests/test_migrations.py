"""The migrations build exactly the models' schema, on SQLite and PostgreSQL.

Whatever the suite's engine, these tests run on both: PostgreSQL on the
throwaway server of ``tests/postgres.py`` (skipped without one, except in CI).
"""

from __future__ import annotations

import logging
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path

import flask_migrate  # type: ignore[import-untyped]  # ships no hints
import postgres
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import make_config, sql
from flask import current_app

from minitwit import create_app
from minitwit.database import migrate
from minitwit.models import db

pytestmark = pytest.mark.step(6)


def close(app):
    """Close the connections of ``app`` (PostgreSQL counts them)."""
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]
)
def engine_config(request, tmp_path):
    """The database keys of a new, empty database on each engine."""
    config = make_config(tmp_path)
    config.pop("DATABASE_URL", None)
    if request.param == "sqlite":
        config["DATABASE"] = str(tmp_path / "migrated.sqlite")
    else:
        name = f"migrations_{request.node.name.split('[')[0][-30:]}"
        config["DATABASE_URL"] = postgres.server().create_database(name)
    return config


@pytest.fixture
def migrated_app(engine_config):
    """minitwit on a database built by the migrations (``db upgrade``)."""
    app = create_app(engine_config)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    close(app)


@contextmanager
def unreadable_sqlite_indexes_skipped():
    """Let Alembic skip the indexes on lower(...) on SQLite, as it warns.

    SQLite cannot read them back, so autogenerate cannot compare them
    there; test_sqlite_indexes_are_the_models checks them instead.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "autogenerate skipping metadata-specified"
        )
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based"
        )
        yield


def schema_differences(app):
    """What Alembic's autogenerate would change to match the models."""
    with app.app_context(), db.engine.connect() as connection:
        options = current_app.extensions["migrate"].configure_args
        context = MigrationContext.configure(connection, opts=options)
        with unreadable_sqlite_indexes_skipped():
            return compare_metadata(context, db.metadata)


def test_migrations_build_exactly_the_models(migrated_app):
    assert schema_differences(migrated_app) == []


def test_sqlite_indexes_are_the_models(tmp_path):
    """Every index, the one on lower(username) too, is create_all's."""

    def indexes(app):
        rows = sql(
            app,
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND sql IS NOT NULL",
        )
        return {row["name"]: " ".join(row["sql"].split()) for row in rows}

    config = {**make_config(tmp_path), "DATABASE": str(tmp_path / "a.db")}
    config.pop("DATABASE_URL", None)
    migrated = create_app(config)
    with migrated.app_context():
        flask_migrate.upgrade()
    created = create_app({**config, "DATABASE": str(tmp_path / "b.db")})
    with created.app_context():
        db.create_all()
    found, expected = indexes(migrated), indexes(created)
    assert set(found) == set(expected)
    assert "lower(username)" in found["ix_account_username_lower"]


def test_downgrade_empties_and_upgrade_rebuilds(migrated_app):
    with migrated_app.app_context():
        flask_migrate.downgrade(revision="base")
        assert sql(migrated_app, "SELECT * FROM alembic_version") == []
        flask_migrate.upgrade()
    assert schema_differences(migrated_app) == []


def test_db_migrate_finds_nothing_to_write(migrated_app, tmp_path):
    """Autogenerate on an up-to-date database writes no new migration."""
    versions = Path(migrate.directory) / "versions"
    before = sorted(versions.iterdir())
    with unreadable_sqlite_indexes_skipped():
        result = migrated_app.test_cli_runner().invoke(
            args=["db", "migrate", "-m", "nothing"]
        )
    assert result.exit_code == 0, result.output
    assert sorted(versions.iterdir()) == before


def test_init_db_builds_the_same_schema(engine_config):
    app = create_app(engine_config)
    with app.app_context():
        db.create_all()  # an old schema, made without the migrations
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    assert schema_differences(app) == []
    close(app)


def test_upgrade_can_print_its_sql(tmp_path, capsys):
    """``flask db upgrade --sql`` prints the SQL instead of running it."""
    config = {**make_config(tmp_path), "DATABASE": str(tmp_path / "o.db")}
    config.pop("DATABASE_URL", None)
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade(sql=True)
    assert "CREATE TABLE account" in capsys.readouterr().out


def test_alembic_logs_when_nothing_else_set_up_logging(
    migrated_app, monkeypatch
):
    """Run as a command (``flask db ...``), Alembic sets up its logging."""
    monkeypatch.setattr(logging.root, "handlers", [])
    for name in ("alembic", "sqlalchemy", "flask_migrate"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logger.level)
    with migrated_app.app_context():
        flask_migrate.current()
    assert logging.root.handlers  # alembic.ini's console handler


def copy_of_the_migrations(tmp_path):
    """A copy of the migrations folder, to write new migrations into.

    Its env.py runs the package's own, so that one is what runs (and what
    coverage sees).
    """
    copy = shutil.copytree(migrate.directory, tmp_path / "migrations")
    env = Path(migrate.directory) / "env.py"
    (copy / "env.py").write_text(
        f"import runpy\nrunpy.run_path({str(env)!r})\n"
    )
    return copy


def test_db_revision_writes_a_new_migration(migrated_app, tmp_path):
    """``flask db revision``: an empty migration to fill in by hand."""
    copy = copy_of_the_migrations(tmp_path)
    with migrated_app.app_context():
        flask_migrate.revision(directory=str(copy), message="by hand")
    (new,) = (copy / "versions").glob("*_by_hand.py")
    assert "def upgrade():" in new.read_text()


def test_db_migrate_writes_what_the_models_add(tmp_path):
    """``flask db migrate`` on a database without the tables writes them."""
    copy = copy_of_the_migrations(tmp_path)
    for old in (copy / "versions").glob("*.py"):
        old.unlink()
    config = {**make_config(tmp_path), "DATABASE": str(tmp_path / "n.db")}
    config.pop("DATABASE_URL", None)
    app = create_app(config)
    with app.app_context(), unreadable_sqlite_indexes_skipped():
        flask_migrate.migrate(directory=str(copy), message="first")
    (new,) = (copy / "versions").glob("*_first.py")
    assert "op.create_table(" in new.read_text()


def before_the_key() -> str:
    """The migration before the one that gives addresses their key (step
    20), whatever its revision id."""
    revisions = ScriptDirectory(migrate.directory).walk_revisions()
    adds_the_key = [
        revision
        for revision in revisions  # from the newest
        if "email_key" in Path(revision.path).read_text("utf-8")
    ]
    before = adds_the_key[-1].down_revision  # the oldest that names it
    assert isinstance(before, str)
    return before


def add_accounts_before_the_key(app, *emails):
    """Accounts with ``emails``, on the schema before the key."""
    with app.app_context():
        flask_migrate.upgrade(revision=before_the_key())
    for n, email in enumerate(emails):
        sql(
            app,
            "INSERT INTO account (username, email, pw_hash, session_token,"
            " created) VALUES (:name, :email, '!', :name, CURRENT_TIMESTAMP)",
            name=f"user{n}",
            email=email,
        )


@pytest.mark.step(20)
def test_upgrade_gives_every_address_its_key(engine_config):
    app = create_app(engine_config)
    add_accounts_before_the_key(
        app, "ÉLODIE@example.com", "Bob@\uff45xample.com"
    )
    with app.app_context():
        flask_migrate.upgrade()
    rows = sql(app, "SELECT email, email_key FROM account ORDER BY id")
    assert [row["email_key"] for row in rows] == [
        "élodie@example.com",
        "bob@example.com",
    ]
    assert schema_differences(app) == []
    with app.app_context():  # and back, with the addresses as they were
        flask_migrate.downgrade(revision=before_the_key())
    rows = sql(app, "SELECT email FROM account ORDER BY id")
    assert [row["email"] for row in rows] == [
        "ÉLODIE@example.com",
        "Bob@\uff45xample.com",
    ]
    close(app)


@pytest.mark.step(20)
def test_upgrade_stops_on_two_accounts_of_one_address(engine_config, caplog):
    """Two accounts that the key makes one: nothing changes, both named."""
    app = create_app(engine_config)
    add_accounts_before_the_key(
        app, "ÉLODIE@example.com", "élodie@example.com"
    )
    # flask db: exit 1 (flask_migrate logs a RuntimeError or Alembic's error)
    with app.app_context(), pytest.raises((SystemExit, Exception)) as stop:
        flask_migrate.upgrade()
    said = caplog.text + str(stop.value)
    assert "ÉLODIE@example.com" in said and "élodie@example.com" in said
    (version,) = sql(app, "SELECT version_num FROM alembic_version")
    assert version["version_num"] == before_the_key()
    assert len(sql(app, "SELECT email FROM account")) == 2
    close(app)
