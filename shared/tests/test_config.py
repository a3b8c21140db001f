"""showcase.config: where settings come from, and the secret key rule."""

from __future__ import annotations

import click
import pytest
from flask import Flask
from flask.cli import ScriptInfo

from showcase.config import (
    DEV_SECRET_KEY,
    InsecureConfigError,
    has_real_secret_key,
    load_config,
)

REAL_KEY = "x" * 32


def make_app(tmp_path) -> Flask:
    return Flask("demo", instance_path=str(tmp_path / "instance"))


def test_defaults_are_secure(tmp_path):
    app = make_app(tmp_path)
    load_config(app, {"TESTING": True})
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert (tmp_path / "instance").is_dir()


def test_order_defaults_then_instance_then_environment(tmp_path, monkeypatch):
    app = make_app(tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(
        f"SECRET_KEY = {REAL_KEY!r}\nGREETING = 'from instance'\nCOLOUR = 'from instance'\n"
    )
    monkeypatch.setenv("FLASK_COLOUR", '"from environment"')
    load_config(
        app, defaults={"GREETING": "default", "COLOUR": "default", "SIZE": 3}
    )
    assert app.config["SIZE"] == 3
    assert app.config["GREETING"] == "from instance"
    assert app.config["COLOUR"] == "from environment"


def test_test_config_replaces_instance_and_environment(tmp_path, monkeypatch):
    app = make_app(tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(
        "GREETING = 'from instance'\n"
    )
    monkeypatch.setenv("FLASK_GREETING", '"from environment"')
    load_config(app, {"TESTING": True}, defaults={"GREETING": "default"})
    assert app.config["GREETING"] == "default"


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "short"])
def test_production_without_real_key_refuses_to_start(tmp_path, key):
    app = make_app(tmp_path)
    with pytest.raises(
        InsecureConfigError,
        match="refusing to start without a real SECRET_KEY",
    ):
        load_config(app, {"SECRET_KEY": key})


def test_production_with_real_key_starts(tmp_path):
    app = make_app(tmp_path)
    load_config(app, {"SECRET_KEY": REAL_KEY})
    assert app.config["SECRET_KEY"] == REAL_KEY


@pytest.mark.parametrize("flag", ["DEBUG", "TESTING"])
def test_dev_key_is_allowed_while_debugging_or_testing(tmp_path, flag):
    app = make_app(tmp_path)
    load_config(app, {flag: True})
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert not has_real_secret_key(app)


def test_flask_command_without_debug_gets_a_random_key(tmp_path):
    app = make_app(tmp_path)
    with click.Context(click.Command("run"), obj=ScriptInfo()):
        load_config(app, {})
    assert has_real_secret_key(app)


def test_other_click_programs_are_production(tmp_path):
    app = make_app(tmp_path)
    with (
        click.Context(click.Command("serve")),
        pytest.raises(InsecureConfigError),
    ):
        load_config(app, {})
