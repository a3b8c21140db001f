"""A real production server (waitress) gets the production defaults.

Issue 10: ``FLASK_DEBUG`` in a server's environment once brought back the
public dev key (finding 15), and ``Host`` was reflected in redirects
(finding 13). The app here is the smallest one using showcase, served by
``waitress-serve`` in a subprocess, as the deploy pages show.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from showcase.testing import free_port

APP = """
from flask import Flask, redirect, session, url_for

import showcase


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()
    showcase.init_app(app)

    @app.get("/")
    def index():
        session["seen"] = True
        return redirect(url_for("index", _external=True) + "again")

    return app
"""
WAITRESS = str(Path(sys.executable).with_name("waitress-serve"))


def environment(app_dir: Path, **extra: str) -> dict[str, str]:
    """The server's environment: a real key, the app importable, and no
    sign of the pytest that started it (PYTEST_VERSION)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.pop("PYTEST_VERSION", None)
    env["PYTHONPATH"] = str(app_dir)
    env["FLASK_SECRET_KEY"] = "a-real-production-secret-key"
    return {**env, **extra}


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("prodapp")
    (folder / "prodapp.py").write_text(APP)
    return folder


@pytest.mark.parametrize("variable", ["FLASK_DEBUG=1", "FLASK_TESTING=true"])
def test_debug_environment_stops_the_server(app_dir, variable):
    name, value = variable.split("=")
    result = subprocess.run(
        [WAITRESS, "--port=0", "--call", "prodapp:create_app"],
        env=environment(app_dir, **{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "InsecureConfigError" in result.stderr
    assert "must not run with" in result.stderr
    assert name in result.stderr


@pytest.fixture(scope="module")
def server(app_dir):
    """waitress serving the app on a free port, for the whole module."""
    port = free_port()
    process = subprocess.Popen(
        [WAITRESS, "--listen", f"127.0.0.1:{port}", "--call",
         "prodapp:create_app"],
        env=environment(app_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_showcase/x")
        except urllib.error.HTTPError:
            break  # a 404 page: the server answers
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port: int, host: str):
    """GET / with the ``Host`` header ``host``."""
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_hostile_host_is_refused_never_reflected(server):
    response = get(server, "evil.example")
    assert response.status == 400
    assert response.getheader("Location") is None


def test_loopback_host_gets_secure_cookies_and_no_hsts_over_http(server):
    response = get(server, f"127.0.0.1:{server}")
    assert 300 <= response.status < 400
    assert response.getheader("Location").startswith("http://127.0.0.1:")
    cookie = response.getheader("Set-Cookie")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert response.getheader("Strict-Transport-Security") is None


def behind_one_proxy(app: Flask) -> Flask:
    """Trust the ``X-Forwarded-*`` headers that one proxy in front sets."""
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # as Flask docs
        app.wsgi_app, x_for=1, x_proto=1, x_host=1
    )
    return app


def test_behind_a_proxy_https_is_seen_and_hosts_still_checked(
    app_dir, monkeypatch
):
    monkeypatch.syspath_prepend(str(app_dir))
    monkeypatch.setenv("FLASK_SECRET_KEY", "a-real-production-secret-key")
    from prodapp import create_app

    app = behind_one_proxy(create_app())
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost"}
    response = client.get("/", headers=https)
    assert response.location == "https://localhost/again"
    assert "Strict-Transport-Security" in response.headers
    evil = client.get("/", headers={**https, "X-Forwarded-Host": "evil"})
    assert evil.status_code == 400
