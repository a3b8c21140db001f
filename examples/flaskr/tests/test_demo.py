"""The demo data: ``flask --app flaskr seed``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import click
import pytest
from conftest import TEST_CONFIG
from flask.cli import ScriptInfo
from html_page import Page

from flaskr import create_app
from flaskr.db import get_db, init_db
from flaskr.demo import DEMO_POSTS, DEMO_USERS, seed_db

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(8)


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
        " bob / bob-password." in result.output
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


def test_seed_creates_a_missing_database(app, tmp_path):
    """``flask seed`` on a fresh checkout creates the tables first."""
    app.config["DATABASE"] = str(tmp_path / "new.sqlite")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0
    assert "Loaded the demo data." in result.output
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))


def test_demo_accounts_can_log_in(runner, auth):
    """The passwords the README lists are the ones seed stores."""
    runner.invoke(args=["init-db"])
    runner.invoke(args=["seed"])
    for username, password in DEMO_USERS.items():
        assert auth.login(username, password).headers["Location"] == "/"
        auth.logout()


def test_demo_posts_fill_more_than_one_page(runner, client):
    """A learner sees pagination at once: newest first, an Older link."""
    runner.invoke(args=["init-db"])
    runner.invoke(args=["seed"])
    page = client.get("/").text
    assert page.index(DEMO_POSTS[-1][1]) < page.index(DEMO_POSTS[-2][1])
    assert Page(page).link("next").startswith("/?before=")


def demo_logins_shown(app):
    """The demo usernames and passwords the login page shows."""
    text = Page(app.test_client().get("/auth/login").text).text()
    return {
        word
        for pair in DEMO_USERS.items()
        for word in pair
        if word in text.split()
    }


def seeded_app(database, **config):
    """flaskr with the demo data loaded, ``config`` added to the tests'."""
    app = create_app({**TEST_CONFIG, "DATABASE": str(database), **config})
    assert "Loaded" in app.test_cli_runner().invoke(args=["seed"]).output
    return app


def test_flask_run_shows_the_demo_logins_once_seeded(tmp_path):
    """Under ``flask run``, the login page lists the demo logins, but only
    once ``flask seed`` has made the accounts."""
    with click.Context(click.Command("run"), obj=ScriptInfo()):
        app = create_app(
            {
                **TEST_CONFIG,
                "TESTING": False,
                "DATABASE": str(tmp_path / "dev.sqlite"),
            }
        )
    with app.app_context():
        init_db()
    assert demo_logins_shown(app) == set()
    app.test_cli_runner().invoke(args=["seed"])
    every_word = {word for pair in DEMO_USERS.items() for word in pair}
    assert demo_logins_shown(app) == every_word


def test_tests_and_production_never_show_the_demo_logins(tmp_path):
    """With the demo accounts there: nothing under TESTING, nothing under a
    production server."""
    testing = seeded_app(tmp_path / "testing.sqlite")
    assert demo_logins_shown(testing) == set()
    production = seeded_app(
        tmp_path / "production.sqlite",
        TESTING=False,
        SECRET_KEY="a-real-secret-key-of-enough-length",
    )
    assert demo_logins_shown(production) == set()


@pytest.mark.slow
def test_concurrent_seeds_load_one_set(app):
    """Seeds started at once, each with its own connection: one loads.

    Each seed takes the write lock before it looks, so the others wait,
    then find the data. Looking first, all four could find it empty.
    """
    with app.app_context():
        init_db()
    all_started = threading.Barrier(4)

    def seed(index):
        with app.app_context():
            all_started.wait(timeout=10)
            return seed_db()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(seed, range(4)))
    assert sorted(results) == [False, False, False, True]
    assert count_rows(app) == (len(DEMO_USERS), len(DEMO_POSTS))
