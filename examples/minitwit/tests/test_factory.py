"""The app factory: where minitwit's settings come from."""

from __future__ import annotations

import pytest

from minitwit import create_app

pytestmark = pytest.mark.step(1)


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    """Without test_config, FLASK_* variables override the defaults."""
    monkeypatch.setenv("FLASK_SECRET_KEY", "env-secret-key-for-this-test")
    monkeypatch.setenv("FLASK_PER_PAGE", "7")
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "env.sqlite"))
    # A real server also needs a mail server and the site's address.
    monkeypatch.setenv("FLASK_MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("FLASK_MAIL_LINK_BASE", "https://localhost")
    app = create_app()
    assert app.config["SECRET_KEY"] == "env-secret-key-for-this-test"
    assert app.config["PER_PAGE"] == 7
    assert app.config["DATABASE"] == str(tmp_path / "env.sqlite")
    assert not app.testing


def test_test_config_replaces_the_environment(monkeypatch, tmp_path):
    """With test_config, the environment is not read."""
    monkeypatch.setenv("FLASK_PER_PAGE", "7")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DATABASE": str(tmp_path / "x.sqlite"),
        }
    )
    assert app.config["PER_PAGE"] == 30
    assert app.testing
