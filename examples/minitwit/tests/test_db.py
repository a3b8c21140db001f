"""The database commands: ``init-db``, ``seed``, and the page shown before them."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import make_config

from minitwit import create_app
from minitwit.cli import (
    DEMO_FOLLOWS,
    DEMO_MESSAGES,
    DEMO_PASSWORD,
    DEMO_ROUNDS,
    DEMO_USERS,
)
from minitwit.db import database_setup_page, get_db, transaction


def counts(app):
    """How many users, follows and messages the database holds."""
    with app.app_context():
        db = get_db()
        return tuple(
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("user", "follower", "message")
        )


def test_init_db_command(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Initialised the database" in result.output
    assert counts(app) == (0, 0, 0)


def test_seed_initialises_and_loads_demo_data(tmp_path):
    app = create_app(make_config(tmp_path))  # no tables yet
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Initialised the database" in result.output
    assert "Loaded the demo data" in result.output
    assert counts(app) == (
        len(DEMO_USERS),
        len(DEMO_FOLLOWS),
        len(DEMO_MESSAGES) * DEMO_ROUNDS,
    )


def test_seed_is_idempotent(runner, app):
    runner.invoke(args=["seed"])
    before = counts(app)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert "Initialised" not in result.output
    assert counts(app) == before


def test_seed_leaves_a_database_with_users_alone(runner, app, auth):
    auth.register("someone")
    result = runner.invoke(args=["seed"])
    assert "already has data" in result.output
    assert counts(app) == (1, 0, 0)


def test_demo_accounts_can_log_in_and_post(runner, client, auth):
    runner.invoke(args=["seed"])
    assert auth.login("alice", DEMO_PASSWORD).location == "/"
    html = client.get("/").get_data(as_text=True)
    assert (
        "Send the confirmation mail again" not in html
    )  # demo users are confirmed
    assert 'name="text"' in html
    assert "Page 1 of 2" in client.get("/public").get_data(as_text=True)


def test_missing_database_explains_the_command(tmp_path):
    app = create_app(make_config(tmp_path))
    response = app.test_client().get("/public")
    assert response.status_code == 503
    assert b"flask --app minitwit init-db" in response.data


def test_database_has_foreign_keys_and_wal(app):
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_transaction_rolls_back_on_error(app):
    with app.app_context():
        db = get_db()
        try:
            with transaction(db):
                db.execute(
                    "INSERT INTO follower (who_id, whom_id) VALUES (1, 1)"
                )
        except sqlite3.IntegrityError:
            pass
        assert db.execute("SELECT COUNT(*) FROM follower").fetchone()[0] == 0


def test_other_database_errors_are_not_hidden(app):
    with app.test_request_context():
        error = sqlite3.OperationalError("disk I/O error")
        with pytest.raises(sqlite3.OperationalError):
            database_setup_page(error)
