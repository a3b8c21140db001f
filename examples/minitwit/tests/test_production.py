"""minitwit in production: gunicorn workers on PostgreSQL, under load.

Starts the app as the production page says (gunicorn, several worker
processes, PostgreSQL, ``db upgrade`` first), then sends 32 writers at it
for a few seconds, over loopback only. Every message the app acknowledged
must be stored, once; no answer may be a 5xx; the database must be
consistent afterwards. Runs whenever PostgreSQL is installed, and always
in CI (``CI=true``).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

import flask_migrate  # type: ignore[import-untyped]  # ships no hints
import postgres
import pytest
from conftest import make_config, sql

from minitwit import create_app
from minitwit.models import User, db
from showcase.testing import free_port

pytestmark = [pytest.mark.step(14), pytest.mark.slow]

pytest.importorskip("gunicorn", reason="gunicorn does not run on Windows")

WRITERS = 32
WORKERS = 4
SECONDS = 4.0
PASSWORD = "load-test-password"
#: A form that worked redirects (302 now; 303 from Flask 3.2 on).
REDIRECTS = {302, 303}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand back redirects as they are: a 302 is the acknowledgement."""

    def redirect_request(self, *args, **kwargs):
        """Do not follow."""
        return None


@dataclass
class Writer:
    """One browser: logs in, follows writer0, then posts until time is up."""

    base: str
    number: int
    acknowledged: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirects,
        )

    def request(self, path: str, data: dict[str, str] | None = None):
        """GET (or POST ``data`` to) ``path``; return status and body."""
        body = urllib.parse.urlencode(data).encode() if data else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as r:
                status, html = r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            status, html = error.code, error.read().decode()
        self.statuses[status] += 1
        return status, html

    def csrf_token(self, path: str) -> str:
        """The CSRF token of the form on ``path``."""
        _, html = self.request(path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match[1]

    def run(self, start: threading.Barrier) -> None:
        """Log in, follow writer0; when all are ready, post for SECONDS."""
        try:
            name = f"writer{self.number}"
            token = self.csrf_token("/login")
            login = {"username": name, "password": PASSWORD}
            status, _ = self.request("/login", {**login, "csrf_token": token})
            assert status in REDIRECTS, f"{name} could not log in: {status}"
            token = self.csrf_token("/")
            if self.number:
                self.request("/writer0/follow", {"csrf_token": token})
            start.wait(timeout=120)
            until = time.monotonic() + SECONDS
            n = 0
            while n == 0 or time.monotonic() < until:
                n += 1
                text = f"{name} says {n}"
                form = {"text": text, "csrf_token": token}
                status, _ = self.request("/add_message", form)
                if status in REDIRECTS:  # the redirect acknowledges it
                    self.acknowledged.append(text)
        except Exception as error:  # reported by the test, not lost
            self.errors.append(repr(error))


@pytest.fixture
def database_url(tmp_path):
    """A PostgreSQL database, migrated, with the writers' accounts."""
    url = postgres.server().create_database("load_test")
    app = create_app(make_config(tmp_path, DATABASE_URL=url))
    with app.app_context():
        flask_migrate.upgrade()
        for n in range(WRITERS):
            user = User(username=f"writer{n}", email=f"writer{n}@example.com")
            user.set_password(PASSWORD)
            user.confirmed_at = db.func.now()
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """minitwit served by gunicorn with several workers; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": "load-test-secret-key-not-for-production",
        "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "FLASK_HTTPS": "false",  # plain HTTP on loopback
        # No mail leaves: the accounts exist already. Nothing listens there.
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(free_port()),
        "FLASK_MAIL_LINK_BASE": f"http://127.0.0.1:{port}",
    }
    env.pop("FLASK_DEBUG", None)
    env.pop("FLASK_TESTING", None)
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "minitwit:create_app()"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/public", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        print((tmp_path / "gunicorn.log").read_text()[-3000:])


@pytest.mark.load
def test_32_writers_under_gunicorn_lose_nothing(
    gunicorn, database_url, record_property
):
    writers = [Writer(gunicorn, n) for n in range(WRITERS)]
    start = threading.Barrier(WRITERS + 1)
    threads = [
        threading.Thread(target=writer.run, args=(start,))
        for writer in writers
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=120)  # every writer logged in
    started = time.monotonic()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started

    assert [e for w in writers for e in w.errors] == []
    statuses = sum((w.statuses for w in writers), Counter())
    acknowledged = [text for w in writers for text in w.acknowledged]
    record_property(
        "load",
        f"load test: {WRITERS} writers, {WORKERS} gunicorn workers, "
        f"{elapsed:.1f} s: {len(acknowledged)} messages acknowledged "
        f"({len(acknowledged) / elapsed:.0f}/s), statuses {dict(statuses)}",
    )
    assert not [status for status in statuses if status >= 500]
    assert len(acknowledged) >= WRITERS  # every writer got through

    # Check the database behind the app's back.
    app = create_app({**make_config_for(database_url)})
    stored = Counter(
        row["text"] for row in sql(app, "SELECT text FROM message")
    )
    assert sorted(stored) == sorted(acknowledged)  # none lost, none extra
    assert set(stored.values()) == {1}  # none stored twice
    (orphans,) = sql(
        app,
        "SELECT COUNT(*) AS n FROM message"
        " LEFT JOIN account ON account.id = message.author_id"
        " WHERE account.id IS NULL",
    )
    assert orphans["n"] == 0
    follows = sql(app, "SELECT who_id, whom_id FROM follower")
    assert len(follows) == WRITERS - 1  # everyone but writer0 follows it
    assert len({row["who_id"] for row in follows}) == WRITERS - 1
    with app.app_context():
        db.engine.dispose()


def make_config_for(url: str) -> dict[str, str | bool]:
    """Test settings for the database at ``url``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": url,
    }


def test_gunicorn_without_a_mail_server_refuses_to_start(tmp_path):
    """The production page's settings but MAIL_SERVER: gunicorn stops at
    once, and says what to set, rather than print links to its log."""
    env = {
        **os.environ,
        "FLASK_SECRET_KEY": "a-real-secret-key-for-this-test",
        "FLASK_DATABASE": str(tmp_path / "x.sqlite"),
        "FLASK_MAIL_LINK_BASE": "https://minitwit.example.com",
        "FLASK_TRUSTED_HOSTS": '["minitwit.example.com"]',
        "FLASK_PROXY_COUNT": "1",
    }
    for name in ("FLASK_DEBUG", "FLASK_TESTING", "FLASK_MAIL_SERVER"):
        env.pop(name, None)
    server = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--workers", "1",
         "--bind", f"127.0.0.1:{free_port()}", "minitwit:create_app()"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert server.returncode != 0
    assert "InsecureConfigError: minitwit: set MAIL_SERVER" in server.stderr
