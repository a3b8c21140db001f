"""showcase.init_app refuses a secret key that anyone could forge."""

from __future__ import annotations

import click
import pytest
from flask import Flask
from flask.cli import ScriptInfo

import showcase
from showcase.security import DEV_SECRET_KEY

REAL_KEY = "x" * 32


def make_app(**config: object) -> Flask:
    app = Flask("demo")
    app.config.from_mapping(config)
    return app


def flask_command() -> click.Context:
    """A click context like the one ``flask run`` loads the app in."""
    return click.Context(click.Command("run"), obj=ScriptInfo())


def test_a_real_key_is_accepted_everywhere():
    app = make_app(SECRET_KEY=REAL_KEY)
    showcase.init_app(app)
    assert app.config["SECRET_KEY"] == REAL_KEY


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "fifteen-chars!!"])
@pytest.mark.parametrize("flags", [{}, {"TESTING": True}])
def test_servers_and_tests_need_a_real_key(key, flags):
    app = make_app(SECRET_KEY=key, **flags)
    with pytest.raises(
        showcase.InsecureConfigError,
        match="refusing to start without a real SECRET_KEY",
    ):
        showcase.init_app(app)


def test_flask_run_debug_may_use_the_dev_key():
    app = make_app(SECRET_KEY=DEV_SECRET_KEY, DEBUG=True)
    with flask_command():
        showcase.init_app(app)
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_the_flask_command_keeps_the_config_as_it_is():
    """No key is swapped out of sight: the example's factory says it all."""
    app = make_app(SECRET_KEY=DEV_SECRET_KEY)
    with flask_command():
        showcase.init_app(app)
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_other_click_programs_are_production():
    app = make_app(SECRET_KEY=DEV_SECRET_KEY, DEBUG=True)
    with (
        click.Context(click.Command("serve")),
        pytest.raises(showcase.InsecureConfigError),
    ):
        showcase.init_app(app)


def test_secure_defaults_do_not_override_the_config():
    app = make_app(SECRET_KEY=REAL_KEY, MAX_CONTENT_LENGTH=10)
    showcase.init_app(app)
    assert app.config["MAX_CONTENT_LENGTH"] == 10
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
