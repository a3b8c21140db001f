"""The database: one connection per request, init-db, the setup page."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from flaskr.db import get_db
from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(2)


def test_get_close_db(app):
    """One connection per request, reused within it and closed after it."""
    with app.app_context():
        db = get_db()
        assert db is get_db()

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_connection_settings(app):
    """Foreign keys are checked, readers never wait, writers wait 10 s."""
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute(
                "INSERT INTO post (author_id, title, body)"
                " VALUES (99, 't', '')"
            )


def test_init_db_command(runner, app):
    """``flask init-db`` empties the database and says where it is."""
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert f"Initialized the database at {app.config['DATABASE']}." in (
        result.output
    )
    with app.app_context():
        assert get_db().execute("SELECT * FROM user").fetchall() == []


@pytest.mark.slow
def test_post_author_index_exists(app):
    """Posts by one author (and the foreign key check) use post_author_id."""
    with app.app_context():
        plan = (
            get_db()
            .execute(
                "EXPLAIN QUERY PLAN SELECT id FROM post WHERE author_id = 1"
            )
            .fetchall()
        )
    assert "USING COVERING INDEX post_author_id" in plan[0]["detail"]


@pytest.mark.parametrize(
    "database", ["empty.sqlite", "no-such-folder/flaskr.sqlite"]
)
@pytest.mark.parametrize(
    "path", ["/auth/login", pytest.param("/", marks=pytest.mark.step(6))]
)
@pytest.mark.step(4)
def test_missing_database_page(app, tmp_path, database, path):
    """Before init-db, pages show the command to run (503), not a traceback."""
    app.config["DATABASE"] = str(tmp_path / database)
    client = app.test_client()
    if path == "/auth/login":
        # The login form itself needs no database; sending it does.
        response = submit_form(client, path, {"username": "a"})
    else:
        response = client.get(path)
    assert response.status_code == 503
    assert "flask --app flaskr init-db" in response.text


@pytest.mark.step(6)
def test_database_from_an_older_flaskr(app, client):
    """A table without a column flaskr needs: the same 503 page."""
    with app.app_context():
        get_db().execute("ALTER TABLE post DROP COLUMN body")
    response = client.get("/")
    assert response.status_code == 503
    assert "flask --app flaskr init-db" in response.text


@pytest.mark.step(4)
def test_other_database_errors_are_not_hidden(client, monkeypatch):
    """A database error that init-db cannot fix is raised, not disguised."""

    def broken_disk(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite3, "connect", broken_disk)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        submit_form(client, "/auth/login", {"username": "a"})


@pytest.mark.slow
@pytest.mark.step(6)
def test_concurrent_writers_wait_instead_of_failing(app):
    """Many people posting at once: every post saved, no "locked" error."""
    all_logged_in = threading.Barrier(4)

    def write_posts(index):
        client = app.test_client()  # its own requests, so its own connection
        login = submit_form(
            client,
            "/auth/login",
            {"username": "test", "password": "test-password"},
        )
        assert login.headers["Location"] == "/"
        all_logged_in.wait(timeout=10)
        for number in range(5):
            response = submit_form(
                client,
                "/create",
                {"title": f"thread {index} post {number}", "body": ""},
            )
            assert response.headers["Location"] == "/"

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write_posts, range(4)))  # raises what a thread raised
    with app.app_context():
        posts = get_db().execute("SELECT * FROM post").fetchall()
    assert len(posts) == 1 + 4 * 5
