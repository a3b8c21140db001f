"""reCAPTCHA on sign-up, for a site that sets its keys; as before without.

The answers are checked for real, over HTTP, by a verification server the
tests start on 127.0.0.1: it answers as Google's ``siteverify`` does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import URLError
from urllib.parse import parse_qsl

import pytest
from conftest import PASSWORD, sql
from html_page import Page
from sent_mail import recorded_mail

from minitwit.recaptcha import with_recaptcha
from showcase.security import SECURE_DEFAULTS, InsecureConfigError
from showcase.testing import free_port, submit_form

# The build-along step that brings reCAPTCHA (it comes after the others).
pytestmark = pytest.mark.step(21)

SITE_KEY, SECRET_KEY = "test-site-key", "test-secret-key"
#: The answers the verification server knows; any other is wrong.
RIGHT, EXPIRED = "right-answer", "expired-answer"
#: Today's policy, which every page but the sign-up page keeps.
POLICY = SECURE_DEFAULTS["CONTENT_SECURITY_POLICY"]
SIGN_UP = {
    "username": "alice",
    "email": "alice@example.com",
    "password": PASSWORD,
    "password2": PASSWORD,
}


class Siteverify(BaseHTTPRequestHandler):
    """Answers a POST as Google's siteverify does; notes what it was sent."""

    asked: list[dict[str, str]]

    def do_POST(self) -> None:
        """Read secret, response and remoteip; answer in JSON."""
        length = int(self.headers["Content-Length"])
        sent = dict(parse_qsl(self.rfile.read(length).decode()))
        self.asked.append(sent)
        if sent.get("secret") != SECRET_KEY:
            answer = {
                "success": False,
                "error-codes": ["invalid-input-secret"],
            }
        elif sent.get("response") == RIGHT:
            answer = {"success": True, "hostname": "localhost"}
        elif sent.get("response") == EXPIRED:
            answer = {
                "success": False,
                "error-codes": ["timeout-or-duplicate"],
            }
        else:
            answer = {
                "success": False,
                "error-codes": ["invalid-input-response"],
            }
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def verify_server(monkeypatch) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A verification server on loopback: its URL, and what it was asked."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # urllib's, if one is set
    asked: list[dict[str, str]] = []
    handler = type("Handler", (Siteverify,), {"asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    # Polling often, the server stops at once when the test ends.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,))
    thread.start()
    yield (
        f"http://127.0.0.1:{server.server_port}/recaptcha/api/siteverify",
        asked,
    )
    server.shutdown()
    server.server_close()
    thread.join()


def site(make_app, **settings):
    """A minitwit on new tables that checks reCAPTCHA answers for real."""
    from minitwit.models import db

    app = make_app(**settings)
    with app.app_context():
        db.create_all()
    # Flask-WTF takes every answer as right while TESTING: not here.
    app.config["TESTING"] = False
    return app


@pytest.fixture
def recaptcha_site(make_app, verify_server):
    """A minitwit with reCAPTCHA keys, asking the loopback server."""
    url, _ = verify_server
    return site(
        make_app,
        RECAPTCHA_PUBLIC_KEY=SITE_KEY,
        RECAPTCHA_PRIVATE_KEY=SECRET_KEY,
        RECAPTCHA_VERIFY_SERVER=url,
    )


def sign_up(app, answer: str | None):
    """Send the sign-up form, with ``answer`` as reCAPTCHA's if any."""
    data = dict(SIGN_UP)
    if answer is not None:
        data["g-recaptcha-response"] = answer
    with recorded_mail():
        return submit_form(app.test_client(), "/register", data)


def accounts(app) -> list[str]:
    """The names of every account."""
    return [row["username"] for row in sql(app, "SELECT * FROM account")]


def recaptcha_shown(page: str) -> bool:
    """Whether the page loads Google's reCAPTCHA script."""
    return "https://www.google.com/recaptcha/api.js" in page


# --- without keys: as before ------------------------------------------------


def test_without_keys_the_form_the_page_and_the_policy_are_as_before(client):
    response = client.get("/register")
    assert response.status_code == 200
    assert Page(response.text).fields() == {
        "csrf_token",
        "username",
        "email",
        "password",
        "password2",
    }
    assert not recaptcha_shown(response.text)
    assert "<script" not in response.text
    assert response.headers["Content-Security-Policy"] == POLICY


def test_without_keys_sign_up_needs_no_answer(make_app):
    """Checked for real (not TESTING): no answer is asked for, none sent."""
    app = site(make_app)
    assert app.config["RECAPTCHA_ENABLED"] is False
    assert sign_up(app, None).location == "/login"
    assert accounts(app) == ["alice"]


@pytest.mark.parametrize(
    "key", ["RECAPTCHA_PUBLIC_KEY", "RECAPTCHA_PRIVATE_KEY"]
)
def test_one_key_alone_stops_the_app(make_app, key):
    with pytest.raises(InsecureConfigError, match="set both"):
        make_app(**{key: "a-key"})


# --- with keys --------------------------------------------------------------


def test_with_keys_the_sign_up_page_shows_recaptcha(recaptcha_site):
    response = recaptcha_site.test_client().get("/register")
    assert response.status_code == 200
    assert recaptcha_shown(response.text)
    assert f'data-sitekey="{SITE_KEY}"' in response.text


def test_the_page_has_no_inline_script(recaptcha_site):
    """Every script comes from a file: the policy allows no inline one."""
    page = recaptcha_site.test_client().get("/register").text
    scripts = page.split("<script")[1:]
    assert scripts
    for script in scripts:
        assert script.lstrip().startswith("src=")


def test_only_the_sign_up_page_lets_recaptcha_in(recaptcha_site):
    sign_up(recaptcha_site, RIGHT)  # alice has a page
    browser = recaptcha_site.test_client()
    policy = browser.get("/register").headers["Content-Security-Policy"]
    assert policy == with_recaptcha(POLICY)
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == (
        "'self' https://www.google.com/recaptcha/ "
        "https://www.gstatic.com/recaptcha/"
    )
    assert directives["frame-src"] == (
        "'self' https://www.google.com/recaptcha/ "
        "https://recaptcha.google.com/recaptcha/"
    )
    before = dict(d.split(" ", 1) for d in POLICY.split("; "))
    del directives["script-src"], directives["frame-src"]
    del before["script-src"]
    assert directives == before  # every other directive as it was
    for path in ("/public", "/login", "/reset", "/alice"):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Security-Policy"] == POLICY, path


def test_a_right_answer_signs_up(recaptcha_site, verify_server):
    _, asked = verify_server
    assert sign_up(recaptcha_site, RIGHT).location == "/login"
    assert accounts(recaptcha_site) == ["alice"]
    assert asked == [
        {"secret": SECRET_KEY, "response": RIGHT, "remoteip": "127.0.0.1"}
    ]


@pytest.mark.parametrize(
    "answer",
    [None, "", "a-wrong-answer", EXPIRED, "x" * 10_000, "<b>", "a\r\nb: c"],
)
def test_a_wrong_or_missing_answer_gets_the_form_back(recaptcha_site, answer):
    response = sign_up(recaptcha_site, answer)
    assert response.status_code == 400
    assert recaptcha_shown(response.text)
    assert Page(response.text).form_with("username")["username"]["value"] == (
        "alice"
    )
    assert accounts(recaptcha_site) == []


@pytest.mark.finished
@pytest.mark.parametrize("answer", [None, EXPIRED])
def test_the_message_stands_by_the_box(recaptcha_site, answer):
    page = Page(sign_up(recaptcha_site, answer).text).text()
    assert "Are you a person? Tick the reCAPTCHA box first." in page


def unreachable_site(make_app):
    """A minitwit with reCAPTCHA keys whose check nobody answers."""
    return site(
        make_app,
        RECAPTCHA_PUBLIC_KEY=SITE_KEY,
        RECAPTCHA_PRIVATE_KEY=SECRET_KEY,
        RECAPTCHA_VERIFY_SERVER=f"http://127.0.0.1:{free_port()}/",
    )


def test_verify_server_down_gives_the_form_back_with_503(make_app):
    """Nothing listens where the answers are checked: a 503 with the form,
    never an error page, and no account."""
    app = unreachable_site(make_app)
    response = sign_up(app, RIGHT)
    assert response.status_code == 503
    page = Page(response.text)
    assert page.form_with("username")["username"]["value"] == "alice"
    assert recaptcha_shown(response.text)
    assert response.headers["Content-Security-Policy"] == with_recaptcha(
        POLICY
    )
    assert accounts(app) == []


@pytest.mark.finished
def test_verify_server_down_says_to_try_again_by_the_box(make_app):
    page = Page(sign_up(unreachable_site(make_app), RIGHT).text).text()
    assert (
        "Are you a person? We could not check the reCAPTCHA just now. "
        "Try again in a minute."
    ) in page


def test_other_pages_keep_their_error_page_for_a_url_error(recaptcha_site):
    """Only sign-up's check answers 503: elsewhere, an unreachable URL is
    the usual 500 page."""

    def fetch():
        raise URLError("refused")

    recaptcha_site.add_url_rule("/fetch", "fetch", fetch)
    response = recaptcha_site.test_client().get("/fetch")
    assert response.status_code == 500
    assert not recaptcha_shown(response.text)


# --- the policy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("img-src 'self'", "img-src 'self'"),  # scripts and frames unbound
        (
            "default-src 'none'; child-src 'self'",
            "default-src 'none'; child-src 'self'; "
            "script-src https://www.google.com/recaptcha/ "
            "https://www.gstatic.com/recaptcha/; "
            "frame-src 'self' https://www.google.com/recaptcha/ "
            "https://recaptcha.google.com/recaptcha/",
        ),
        (
            "script-src 'self';; frame-src 'none'; script-src 'unsafe-eval'",
            "script-src 'self' https://www.google.com/recaptcha/ "
            "https://www.gstatic.com/recaptcha/; "
            "frame-src https://www.google.com/recaptcha/ "
            "https://recaptcha.google.com/recaptcha/",
        ),
    ],
)
def test_with_recaptcha_adds_to_what_the_browser_would_use(policy, expected):
    assert with_recaptcha(policy) == expected
