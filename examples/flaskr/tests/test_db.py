"""The database: connections, init-db, seed, setup page, many writers."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from flaskr.db import DEMO_POSTS, DEMO_USERS, get_db, init_db, seed_db
from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(3)


def test_get_close_db(app):
    """One connection per request, reused within it and closed after it."""
    with app.app_context():
        db = get_db()
        assert db is get_db()

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_connection_settings(app):
    """Foreign keys are enforced, the journal is WAL, statements autocommit."""
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.isolation_level is None
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute(
                "INSERT INTO post (author_id, created, title, body)"
                " VALUES (99, 'now', 't', '')"
            )


def test_init_db_command(runner, app):
    """``flask init-db`` empties the database and says where it is."""
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert (
        f"Initialized the database at {app.config['DATABASE']}."
        in result.output
    )
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] == 0


def count_rows(app):
    """Return how many users and posts the database holds."""
    with app.app_context():
        db = get_db()
        users = db.execute("SELECT COUNT(*) FROM user").fetchone()[0]
        posts = db.execute("SELECT COUNT(*) FROM post").fetchone()[0]
    return users, posts


def test_seed_command_loads_once(runner, app):
    """``flask seed`` loads the demo data into an empty database only."""
    runner.invoke(args=["init-db"])

    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert (
        "Loaded the demo data. Log in as alice / alice-password,"
        " bob / bob-password." in (result.output)
    )
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))

    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0
    assert "The database already has data: nothing loaded." in again.output
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))


def test_seed_does_not_touch_existing_data(runner, app):
    """On a database that has users, seed adds nothing."""
    result = runner.invoke(args=["seed"])
    assert "already has data" in result.output
    assert count_rows(app) == (2, 1)


def test_seed_creates_a_missing_database(make_app, tmp_path):
    """``flask seed`` on a fresh checkout creates the tables first."""
    app = make_app(DATABASE=str(tmp_path / "new.sqlite"))
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0
    assert "Loaded the demo data." in result.output
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))


@pytest.mark.step(7)
def test_demo_accounts_can_log_in(runner, app, client, auth):
    """The passwords the README lists are the ones seed stores."""
    runner.invoke(args=["init-db"])
    runner.invoke(args=["seed"])
    for username, password in DEMO_USERS.items():
        response = auth.login(username, password)
        assert response.status_code == 302, username
        auth.logout()


@pytest.mark.step(7)
def test_demo_posts_fill_more_than_one_page(runner, app, client):
    """A learner sees pagination at once: newest first, an Older link."""
    runner.invoke(args=["init-db"])
    runner.invoke(args=["seed"])
    page = client.get("/").get_data(as_text=True)
    assert page.index(DEMO_POSTS[-1][1]) < page.index(DEMO_POSTS[-2][1])
    assert 'rel="next" href="/?before=' in page


@pytest.mark.parametrize(
    "database",
    [
        pytest.param("empty.sqlite", id="file-without-tables"),
        pytest.param("no-such-folder/flaskr.sqlite", id="folder-missing"),
    ],
)
@pytest.mark.parametrize(
    "path", [pytest.param("/", marks=pytest.mark.step(7)), "/auth/login"]
)
@pytest.mark.step(5)
def test_missing_database_page(make_app, tmp_path, database, path):
    """Before init-db, pages show the command to run (503), not a traceback."""
    app = make_app(DATABASE=str(tmp_path / database))
    client = app.test_client()
    if path == "/auth/login":
        # The login form itself needs no database; sending it does.
        response = submit_form(
            client, path, {"username": "a", "password": "b"}
        )
    else:
        response = client.get(path)
    assert response.status_code == 503
    assert "flask --app flaskr init-db" in response.get_data(as_text=True)


@pytest.mark.step(7)
def test_database_from_an_older_flaskr(app, client, auth):
    """A table without a column flaskr needs: the same 503 page."""
    auth.login()
    with app.app_context():
        get_db().execute("ALTER TABLE user DROP COLUMN session_version")
    response = client.get("/")
    assert response.status_code == 503
    assert "flask --app flaskr init-db" in response.text


@pytest.mark.step(7)
def test_other_database_errors_are_not_hidden(app, client, monkeypatch):
    """A database error that init-db cannot fix is raised, not disguised."""

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("flaskr.blog.get_db", broken)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        client.get("/")


def run_in_threads(target, count):
    """Run ``target(index)`` in ``count`` threads at once; return errors."""
    errors = []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            target(index)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(index,)) for index in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_seeds_load_one_set(app):
    """Seeds started at once, each with its own connection: one loads.

    The emptiness check and the inserts share one BEGIN IMMEDIATE transaction,
    so the second seed waits, then finds the data. With a plain BEGIN both
    would find the database empty, and one would fail or load it twice.
    """
    with app.app_context():
        init_db()
    results = []

    def seed(index):
        with app.app_context():
            results.append(seed_db())

    assert run_in_threads(seed, 4) == []
    assert sorted(results) == [False, False, False, True]
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))


@pytest.mark.step(7)
def test_concurrent_writers_wait_instead_of_failing(app):
    """Many people posting at once: every post saved, no "locked" error."""

    def write_posts(index):
        client = app.test_client()  # its own requests, so its own connection
        login = submit_form(
            client,
            "/auth/login",
            {"username": "test", "password": "test-password"},
        )
        assert login.status_code == 302
        for number in range(5):
            response = submit_form(
                client,
                "/create",
                {"title": f"thread {index} post {number}", "body": ""},
            )
            assert response.status_code == 302

    assert run_in_threads(write_posts, 4) == []
    assert count_rows(app) == (2, 1 + 4 * 5)
