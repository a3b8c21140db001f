"""The database: ``init-db``, ``seed``, ``db upgrade``, engines, setup page."""

from __future__ import annotations

import flask_migrate  # type: ignore[import-untyped]  # ships no hints
import pytest
from conftest import sql
from html_page import Page
from postgres import ENGINE
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

from minitwit import create_app
from minitwit.database import database_uri
from minitwit.models import db

pytestmark = pytest.mark.step(1)


def counts(app):
    """How many users, follows and messages the database holds."""
    return tuple(
        sql(app, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]  # noqa: S608
        for table in ("account", "follower", "message")
    )


def add_account(app, username, email=None):
    """Make an account straight in the database (no sign-up form)."""
    from minitwit.models import User

    email = email or f"{username}@example.com"
    user = User(username=username, email=email, pw_hash="!")
    with app.app_context():
        user.session_token = username
        db.session.add(user)
        db.session.commit()


def stamp(app):
    """Mark ``app``'s tables as up to date with the latest migration.

    The ``app`` fixture builds its tables with ``db.create_all()`` (faster
    than running every migration); ``seed`` runs ``db upgrade``, which must
    then know there is nothing to do: ``flask db stamp head`` tells it.
    """
    with app.app_context():
        flask_migrate.stamp()


@pytest.fixture
def empty_app(make_app):
    """minitwit on a database with no tables at all."""
    return make_app()


@pytest.mark.step(6)
def test_init_db_command(runner, app):
    add_account(app, "someone")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Initialised the database" in result.output
    assert counts(app) == (0, 0, 0)


@pytest.mark.step(6)
def test_init_db_on_an_empty_database(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert counts(empty_app) == (0, 0, 0)


@pytest.mark.step(7)
def test_db_upgrade_then_seed(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    (version,) = sql(empty_app, "SELECT version_num FROM alembic_version")
    assert version["version_num"]
    result = runner.invoke(args=["seed"])
    assert "Loaded the demo data" in result.output
    (newest,) = sql(
        empty_app, "SELECT text FROM message ORDER BY pub_date DESC LIMIT 1"
    )
    page = Page(empty_app.test_client().get("/public").text)
    assert newest["text"] in page.text()


@pytest.mark.step(7)
def test_seed_creates_the_tables_and_loads_demo_data(empty_app):
    """The demo users and who follows whom, and messages enough for the
    public timeline to need a second page."""
    from minitwit.cli import DEMO_FOLLOWS, DEMO_USERS

    result = empty_app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Loaded the demo data" in result.output
    users = sql(empty_app, "SELECT username FROM account")
    assert sorted(row["username"] for row in users) == sorted(DEMO_USERS)
    follows = sql(
        empty_app,
        "SELECT who.username AS who, whom.username AS whom FROM follower"
        " JOIN account AS who ON who.id = follower.who_id"
        " JOIN account AS whom ON whom.id = follower.whom_id",
    )
    pairs = {(row["who"], row["whom"]) for row in follows}
    assert pairs == set(DEMO_FOLLOWS)
    assert counts(empty_app)[2] > empty_app.config["PER_PAGE"]


@pytest.mark.step(7)
def test_seed_is_idempotent(runner, app):
    stamp(app)
    runner.invoke(args=["seed"])
    before = counts(app)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert counts(app) == before


@pytest.mark.step(7)
def test_seed_explains_a_database_made_without_migrations(runner, app):
    """An older minitwit made its tables with schema.sql: say what to do."""
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 1
    assert "flask --app minitwit init-db" in result.output
    assert counts(app) == (0, 0, 0)


@pytest.mark.step(7)
def test_seed_leaves_a_database_with_users_alone(runner, app):
    stamp(app)
    add_account(app, "someone")
    result = runner.invoke(args=["seed"])
    assert "already has data" in result.output
    assert counts(app) == (1, 0, 0)


@pytest.mark.step(12)
def test_demo_accounts_can_log_in_and_post(runner, app, client, auth):
    from minitwit.cli import DEMO_PASSWORD

    stamp(app)
    runner.invoke(args=["seed"])
    assert auth.login("alice", DEMO_PASSWORD).location == "/"
    page = Page(client.get("/").text)
    # Demo users are confirmed, so they can post.
    assert page.form_to("/confirm") is None  # no "mail the link again"
    assert "text" in page.fields()
    assert Page(client.get("/public").text).link("next") is not None


@pytest.mark.step(14)
def test_missing_tables_explain_the_command(empty_app):
    response = empty_app.test_client().get("/public")
    assert response.status_code == 503
    assert "db upgrade" in Page(response.text).text()  # the command to run


@pytest.mark.step(14)
def test_other_database_errors_are_not_hidden(app):
    from minitwit.database import setup_needed

    error = OperationalError("SELECT 1", {}, Exception("disk I/O error"))
    with app.test_request_context(), pytest.raises(OperationalError):
        setup_needed(error)


@pytest.mark.step(14)
def test_database_url_selects_postgresql_through_psycopg():
    config = {"DATABASE": "x.sqlite"}
    assert database_uri(config) == "sqlite:///x.sqlite"
    for given in ("postgres://u@h/d", "postgresql://u@h/d"):
        config["DATABASE_URL"] = given
        url = make_url(database_uri(config))
        assert url.drivername == "postgresql+psycopg"
        assert (url.username, url.host, url.database) == ("u", "h", "d")
        assert url.query == {"options": "-c timezone=UTC"}


def test_sqlalchemy_database_uri_wins(make_app, tmp_path):
    uri = f"sqlite:///{tmp_path / 'chosen.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=uri)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == uri


@pytest.mark.step(14)
def test_database_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_SECRET_KEY", "env-secret-key-for-this-test")
    monkeypatch.setenv("FLASK_MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("FLASK_MAIL_LINK_BASE", "https://localhost")
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@/nothing")
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("postgresql+psycopg://nobody@/nothing?")


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's own settings")
def test_sqlite_has_foreign_keys_wal_and_a_busy_timeout(app):
    with app.app_context():
        pragma = db.session.execute
        assert pragma(text("PRAGMA foreign_keys")).scalar() == 1
        assert pragma(text("PRAGMA journal_mode")).scalar() == "wal"
        assert pragma(text("PRAGMA busy_timeout")).scalar() == 10000


@pytest.mark.step(2)
def test_the_database_refuses_what_must_never_be_stored(app):
    add_account(app, "alice")
    bad = [
        "INSERT INTO follower (who_id, whom_id) VALUES (1, 1)",
        "INSERT INTO follower (who_id, whom_id) VALUES (1, 99)",
        "INSERT INTO message (author_id, text, pub_date)"
        " VALUES (1, '', CURRENT_TIMESTAMP)",
    ]
    for statement in bad:
        with pytest.raises(Exception, match=r"(?i)constraint|violates|unique"):
            sql(app, statement)
    for name, email in [
        ("ALICE", "b@example.com"),
        ("b", "ALICE@example.com"),
    ]:
        with pytest.raises(Exception, match=r"(?i)unique"):
            add_account(app, name, email)
    assert counts(app) == (1, 0, 0)


@pytest.mark.step(20)
def test_one_account_per_address_in_any_case_and_width(app):
    """SQLite's lower() knows no É: the key that Python computes does."""
    add_account(app, "elodie", "ÉLODIE@example.com")
    for email in (
        "élodie@example.com",
        "élodie@\uff45xample.\uff23\uff2f\uff2d",
    ):
        with pytest.raises(Exception, match=r"(?i)unique"):
            add_account(app, "other", email)
    assert counts(app) == (1, 0, 0)


@pytest.mark.step(2)
def test_deleting_a_user_deletes_their_messages_and_follows(app):
    add_account(app, "alice")
    sql(
        app,
        "INSERT INTO message (author_id, text, pub_date)"
        " SELECT id, 'hi', CURRENT_TIMESTAMP FROM account",
    )
    sql(app, "DELETE FROM account")
    assert counts(app) == (0, 0, 0)
