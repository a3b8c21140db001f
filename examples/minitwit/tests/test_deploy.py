"""A real server refuses settings that would leak or lose mail.

Under ``flask run`` and in the tests, a mail without ``MAIL_SERVER`` is
printed, to click its link. Under a real server (gunicorn), printed mail
lands in the server's log, where anyone who reads it can reset any account;
and links to ``http://127.0.0.1:5000`` lead nowhere. So ``create_app``
stops there, with one line saying what to set.
"""

from __future__ import annotations

import sys

import pytest
from sent_mail import wait_for_mail
from werkzeug.middleware.proxy_fix import ProxyFix

from minitwit import create_app
from minitwit.models import db
from showcase import InsecureConfigError
from showcase.security import SERVERS
from showcase.testing import submit_form

pytestmark = pytest.mark.step(14)

#: What docs/minitwit/production.rst sets, as FLASK_* variables.
PRODUCTION = {
    "SECRET_KEY": "a-real-secret-key-for-this-test",
    "MAIL_SERVER": "smtp.example.com",
    "MAIL_PORT": "587",
    "MAIL_USE_TLS": "true",
    "MAIL_LINK_BASE": "https://minitwit.example.com",
    "TRUSTED_HOSTS": '["minitwit.example.com"]',
    "PROXY_COUNT": "1",
}


def production_app(monkeypatch, tmp_path, **changes: str | None):
    """minitwit as a real server builds it: from FLASK_* variables only."""
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "prod.sqlite"))
    for key, value in {**PRODUCTION, **changes}.items():
        if value is None:
            monkeypatch.delenv(f"FLASK_{key}", raising=False)
        else:
            monkeypatch.setenv(f"FLASK_{key}", value)
    return create_app()


def refusal(monkeypatch, tmp_path, **changes: str | None) -> str:
    """The one line ``create_app`` stops with."""
    with pytest.raises(InsecureConfigError) as refused:
        production_app(monkeypatch, tmp_path, **changes)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_the_production_page_gives_a_server_that_starts(monkeypatch, tmp_path):
    """Its settings: real mail, https links to its host, one proxy."""
    app = production_app(monkeypatch, tmp_path)
    assert app.config["MAIL_SERVER"] == "smtp.example.com"
    assert app.config["TRUSTED_HOSTS"] == ["minitwit.example.com"]
    assert isinstance(app.wsgi_app, ProxyFix)
    assert app.config["SESSION_COOKIE_SECURE"]


def test_without_a_mail_server_a_server_refuses_to_start(
    monkeypatch, tmp_path
):
    """Printed mail would put every reset link in the server's log."""
    message = refusal(monkeypatch, tmp_path, MAIL_SERVER=None)
    assert "MAIL_SERVER" in message  # what to set


@pytest.mark.parametrize(
    "base",
    [
        None,  # the default, http://127.0.0.1:5000
        "http://minitwit.example.com",
        "https://evil.example",
        "https://127.0.0.1",
        "minitwit.example.com",
    ],
)
def test_links_must_be_https_on_a_trusted_host(monkeypatch, tmp_path, base):
    """A link that leads to loopback, to another host or over plain HTTP
    is refused, with what to set."""
    message = refusal(monkeypatch, tmp_path, MAIL_LINK_BASE=base)
    assert "MAIL_LINK_BASE" in message  # what to set


def test_a_plain_http_site_may_mail_http_links(monkeypatch, tmp_path):
    """With HTTPS = False (on purpose), the links use http too."""
    local = {"TRUSTED_HOSTS": None, "PROXY_COUNT": None}
    link = {"HTTPS": "false", "MAIL_LINK_BASE": "http://127.0.0.1:8000"}
    app = production_app(monkeypatch, tmp_path, **local, **link)
    assert app.config["MAIL_LINK_BASE"] == "http://127.0.0.1:8000"
    assert app.config["PROXY_COUNT"] == 0  # nothing in front


def test_flask_run_and_the_tests_still_print_mails(make_app, capsys):
    """Outside a real server, no mail server is needed: mails are printed."""
    app = make_app(MAIL_SERVER=None, MAIL_LINK_BASE="http://127.0.0.1:5000")
    with app.app_context():
        db.create_all()
    submit_form(app.test_client(), "/reset", {"email": "bob@example.com"})
    assert wait_for_mail(app)
    assert "http://127.0.0.1:5000/register" in capsys.readouterr().out


def test_a_testing_app_outside_a_server_needs_no_mail_server(
    make_app, monkeypatch
):
    """A tool that builds the app with TESTING (outside pytest, outside a
    server) gets it, mails printed; a server would refuse TESTING."""
    monkeypatch.delenv("PYTEST_VERSION")
    for server in SERVERS:  # as if no server had ever been imported
        monkeypatch.delitem(sys.modules, server, raising=False)
    app = make_app(MAIL_SERVER=None, MAIL_LINK_BASE="http://127.0.0.1:5000")
    assert app.testing and not app.config["MAIL_SERVER"]
