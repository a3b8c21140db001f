"""Start the showcase as a user would, and a real Chromium to use it with.

Session fixtures, built once per run:

- ``mailbox``: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every mail
  the examples send, so a journey can open the link in a confirmation mail;
- ``portal``: the showcase portal (``showcase_portal.create_app``) with every
  example under ``examples/``, each given a temporary database and upload
  folder, a long random ``SECRET_KEY``, CSRF on, mail to ``mailbox``; the
  databases are created and loaded with demo data by each example's own
  ``flask seed`` command; the developer's ``instance/`` data is never used;
- ``live_server``: that portal on a real HTTP server at ``127.0.0.1`` on a free
  port, in a background thread, shut down at the end;
- ``browser``: Chromium driven by Playwright (see ``README.md`` for which one).

Per test, ``user("name")`` opens a new browser context (a person with their own
cookies) and returns a :class:`e2e_support.Visitor` for it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS_DIR, REPO_ROOT, Visitor
from flask import Flask, got_request_exception, request
from playwright.sync_api import (
    Browser,
    Playwright,
    ViewportSize,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from showcase_portal import create_app

#: Debian's Chromium: ``apt-get install chromium`` (.ci/run installs it).
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")

#: Flags for a headless Chromium that also works as root in a container, and
#: that makes no network traffic of its own (updates, sync, QUIC probes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The fixed window size of every screenshot, so the docs' pictures match.
VIEWPORT: ViewportSize = {"width": 1000, "height": 700}


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-screenshots``: also refresh the docs' pictures of apps."""
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        help="save key-page screenshots into docs/_static/screenshots too "
        "(what nox -s screenshots does)",
    )


def chromium_executable() -> str | None:
    """Pick the browser: ``$E2E_CHROMIUM``, the system's, or Playwright's.

    None means Playwright's own build.

    The system one is Debian's ``/usr/bin/chromium`` or a ``chromium`` /
    ``chromium-browser`` on the PATH: the same test ``nox -s e2e`` makes before
    it downloads Playwright's build.
    """
    chosen = os.environ.get("E2E_CHROMIUM")
    if chosen:
        return chosen
    if SYSTEM_CHROMIUM.exists():
        return str(SYSTEM_CHROMIUM)
    return shutil.which("chromium") or shutil.which("chromium-browser")


# -- mail -------------------------------------------------------------------


@dataclass
class Mailbox:
    """The mails a real local SMTP server received during the run."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd calls this for each mail: keep it, parsed."""
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def mail_to(
        self, address: str, number: int, timeout: float = 10.0
    ) -> EmailMessage:
        """The ``number``-th mail (from 1) sent to ``address``.

        Waits up to ``timeout`` seconds for it: an app may send its mail
        after the page has answered (minitwit sends from a thread).
        """
        deadline = time.monotonic() + timeout
        while True:
            received = [
                message
                for message in self.messages
                if address in str(message["To"])
            ]
            if len(received) >= number:
                return received[number - 1]
            if time.monotonic() > deadline:
                sent = [str(message["To"]) for message in self.messages]
                raise AssertionError(
                    f"no mail number {number} to {address} within "
                    f"{timeout} s; mails went to {sent}"
                )
            time.sleep(0.05)


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 keeping every mail the examples send."""
    from aiosmtpd.controller import Controller

    box = Mailbox()
    # aiosmtpd cannot take port 0 itself: ask the system for a free port first.
    with socket.socket() as probe:
        probe.bind((box.host, 0))
        box.port = probe.getsockname()[1]
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    yield box
    controller.stop()


# -- the showcase on a live server -------------------------------------------


class _Deferred:
    """A WSGI app that forwards to one set later, once the port is known."""

    app: Flask | None = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@dataclass
class LiveServer:
    """The showcase running at ``url`` (no trailing slash).

    ``errors`` holds each request that raised an exception (a 500): its URL
    and error.
    """

    url: str
    portal: Flask
    errors: list[tuple[str, str]]

    def example(self, name: str) -> Flask:
        """The app of example ``name`` as mounted in the portal."""
        for example in self.portal.extensions["showcase_portal"]:
            if example.name == name:
                return example.app
        raise LookupError(f"no example {name!r} in the portal")


def example_test_config(
    name: str, folder: Path, server_url: str, mailbox: Mailbox
) -> dict:
    """One example's ``test_config``: temporary data, real secrets, CSRF on."""
    return {
        # A real key: the app takes the production path of the key policy.
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE": str(folder / f"{name}.sqlite"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "AVATAR_FOLDER": str(folder / "avatars"),
        "WTF_CSRF_ENABLED": True,
        # minitwit: mail goes over SMTP to the test's own server, never out.
        "MAIL_SERVER": mailbox.host,
        "MAIL_PORT": mailbox.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_DEFAULT_SENDER": "showcase@127.0.0.1",
        # minitwit starts the links in its mails with this, never with the
        # Host header. The live server speaks plain HTTP (on loopback), so
        # the links are http:// on purpose: HTTPS = False says so.
        "MAIL_LINK_BASE": server_url,
        "HTTPS": False,
    }


def seed(app: Flask, name: str) -> None:
    """Create an example's tables and demo data with its ``flask seed``."""
    if "seed" not in app.cli.commands:
        return
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, (
        f"flask --app {name} seed failed:\n{result.output}"
    )


def _record_crash(errors: list[tuple[str, str]]) -> Callable[..., None]:
    """A ``got_request_exception`` receiver noting which URL raised what."""

    def record(
        sender: Flask, exception: BaseException, **extra: object
    ) -> None:
        errors.append((request.url, f"{sender.name}: {exception!r}"))

    return record


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[LiveServer]:
    """The portal with every example, served on 127.0.0.1:<free port>."""
    # hello's app is made when it is imported, and takes its key from the
    # environment (FLASK_SECRET_KEY); it refuses to start without a real one.
    os.environ.setdefault("FLASK_SECRET_KEY", secrets.token_hex(32))
    deferred = _Deferred()
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, deferred, threaded=True
    )
    url = f"http://127.0.0.1:{server.server_port}"
    data = tmp_path_factory.mktemp("showcase-data")
    names = sorted(
        path.name
        for path in (REPO_ROOT / "examples").iterdir()
        if (path / path.name / "__init__.py").is_file()
    )
    configs = {}
    for name in names:
        (data / name).mkdir()
        configs[name] = example_test_config(name, data / name, url, mailbox)
    portal = create_app(root=REPO_ROOT, test_configs=configs)
    errors: list[tuple[str, str]] = []
    live = LiveServer(url, portal, errors)
    for name in names:
        app = live.example(name)
        seed(app, name)
        got_request_exception.connect(_record_crash(errors), app, weak=False)
    deferred.app = portal
    thread = threading.Thread(
        target=server.serve_forever, name="showcase-e2e", daemon=True
    )
    thread.start()
    # In production a worker process sends minitwit's mail (flask
    # send-mail --watch); here a thread runs the same loop.
    from minitwit.outbox import keep_sending

    stop = threading.Event()
    worker = threading.Thread(
        target=keep_sending,
        args=(live.example("minitwit"), stop),
        name="minitwit-mail-worker",
        daemon=True,
    )
    worker.start()
    yield live
    stop.set()
    worker.join(timeout=10)
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


# -- the browser -------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API, started once."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """A headless Chromium: the system's if there is one, else Playwright's."""
    executable = chromium_executable()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            chromium_sandbox=False,
            args=CHROMIUM_ARGS,
        )
    except Exception as error:  # the message says how to get a browser
        pytest.fail(
            f"Could not start Chromium ({executable or 'Playwright build'}):"
            f" {error}\nInstall one: apt-get install chromium (Debian/Ubuntu),"
            " or inside the e2e virtual environment: playwright install"
            " chromium",
            pytrace=False,
        )
    yield chromium
    chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test: fixtures see if it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def user(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[Callable[[str], Visitor]]:
    """Make a person with their own browser context: ``alice = user("alice")``.

    After a passing journey, each person's last page must have been checked and
    nothing may have gone wrong since; the server must not have crashed. After
    a failing one, a screenshot of each tab goes to
    ``test-artifacts/e2e/failures/``.
    """
    visitors: list[Visitor] = []
    errors_before = len(live_server.errors)

    def make(name: str) -> Visitor:
        context = browser.new_context(
            viewport=VIEWPORT, locale="en-GB", timezone_id="UTC"
        )
        visitor = Visitor(
            context,
            live_server.url,
            name,
            update_docs_screenshots=request.config.getoption(
                "update_screenshots"
            ),
        )
        visitors.append(visitor)
        return visitor

    yield make

    failed = (
        getattr(request.node, "report_call", None) is None
        or request.node.report_call.failed
    )
    try:
        if failed:
            folder = ARTIFACTS_DIR / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            for visitor in visitors:
                if not visitor.page.is_closed():
                    visitor.page.screenshot(
                        path=folder
                        / f"{request.node.name}-{visitor.name}.png",
                        full_page=True,
                    )
        else:
            expected = {
                url for visitor in visitors for url in visitor.allowed_crashes
            }
            crashes = [
                f"{url}: {error}"
                for url, error in live_server.errors[errors_before:]
                if url not in expected
            ]
            assert not crashes, "the server raised:\n" + "\n".join(crashes)
            for visitor in visitors:
                visitor.finish()
    finally:
        for visitor in visitors:
            visitor.context.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    """Start each run with an empty artifacts folder: no stale pictures."""
    shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)
    ARTIFACTS_DIR.mkdir(parents=True)
