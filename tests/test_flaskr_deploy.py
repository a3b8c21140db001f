"""flaskr served as its deploy pages say, by the commands they show.

The commands are read from the pages (docs/flaskr/deploy.rst,
docs/running.rst, examples/flaskr/README.md) and run as written, on a free
port of 127.0.0.1: a page that drifts from what is tested fails here. The
server must be reachable only where the pages say (the proxy), believe
``X-Forwarded-For`` only from the proxy, and refuse a request over 1 MiB
without reading it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterable, Iterator
from http.client import HTTPConnection, HTTPResponse
from pathlib import Path
from urllib.parse import urlencode

import pytest

import flaskr
from flaskr.db import init_db
from showcase.security import SECURE_DEFAULTS
from showcase.testing import (
    csrf_token,
    free_port,
    redis_server,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "docs/flaskr/deploy.rst",
    "docs/running.rst",
    "examples/flaskr/README.md",
]
SERVERS = ("waitress-serve", "gunicorn")
#: A shell prompt: bash, PowerShell, cmd.
PROMPT = re.compile(r"^(\$|PS>|>) ")
#: The end of a line that goes on below: bash, PowerShell, cmd.
GOES_ON = (" \\", " `", " ^")
MAX_BODY = SECURE_DEFAULTS["MAX_CONTENT_LENGTH"]


def documented_commands() -> list[tuple[str, list[str]]]:
    """Every server command of the pages, as (page, arguments): the lines
    after a shell prompt (rst), or in a code block (Markdown)."""
    found = []
    for page in PAGES:
        lines = iter((ROOT / page).read_text("utf-8").splitlines())
        in_code = False
        for line in lines:
            in_code ^= line.startswith("```")
            command = PROMPT.sub("", line.strip())
            if command == line.strip() and not in_code:
                continue  # prose
            if not command.startswith(SERVERS):
                continue
            while command.endswith(GOES_ON):
                command = command[:-2] + " " + next(lines).strip()
            found.append((page, shlex.split(command)))
    return found


COMMANDS = documented_commands()
#: Where a command says host:port (--listen=..., --bind ...).
ADDRESS = re.compile(r"^[\d.]+:\d+$|(?<==)[\d.]+:\d+$")
#: Each command once, whatever its shell and its port.
DISTINCT = {
    " ".join(ADDRESS.sub("ADDRESS", arg) for arg in arguments): arguments
    for _, arguments in COMMANDS
}


def options(arguments: list[str]) -> dict[str, str]:
    """The ``--name=value`` and ``--name value`` options of a command."""
    found = {}
    for number, argument in enumerate(arguments):
        name, equals, value = argument.partition("=")
        if name.startswith("--"):
            following = arguments[number + 1 : number + 2] or [""]
            found[name] = value if equals else following[0]
    return found


def test_every_page_shows_servers_that_only_the_proxy_reaches():
    """On each page, waitress listens on 127.0.0.1 and believes the
    X-Forwarded-* headers of 127.0.0.1 alone (or of the one proxy it
    names), and refuses more than flaskr accepts (1 MiB) unread; gunicorn
    listens on 127.0.0.1."""
    assert {page for page, _ in COMMANDS} == set(PAGES)
    for page, arguments in COMMANDS:
        given = options(arguments)
        if arguments[0] == "gunicorn":
            assert given["--bind"].startswith("127.0.0.1:"), page
            continue
        # One proxy's headers are believed; a proxy on this machine means a
        # server that only this machine reaches.
        proxy = given["--trusted-proxy"]
        assert proxy != "*", page
        if proxy == "127.0.0.1":
            assert given["--listen"].startswith("127.0.0.1:"), page
        headers = given["--trusted-proxy-headers"].split()
        assert sorted(headers) == ["x-forwarded-for", "x-forwarded-proto"]
        assert int(given["--max-request-body-size"]) <= MAX_BODY, page
        assert int(given["--max-request-header-size"]) <= 65536, page


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """flaskr's database, set up as ``flask --app flaskr init-db`` does."""
    path = tmp_path_factory.mktemp("deploy") / "flaskr.sqlite"
    app = flaskr.create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "DATABASE": str(path)}
    )
    with app.app_context():
        init_db()
    return path


@contextlib.contextmanager
def serve(
    arguments: list[str], database: Path, log: Path, **settings: str
) -> Iterator[int]:
    """Run a documented command on a free port of 127.0.0.1, set up as the
    deploy page says; yield the port."""
    port = free_port()
    arguments = [ADDRESS.sub(f"127.0.0.1:{port}", arg) for arg in arguments]
    program = str(Path(sys.executable).with_name(arguments[0]))
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FLASK_") and name != "PYTEST_VERSION"
    }
    environment.update(
        FLASK_SECRET_KEY="a-real-production-secret-key",
        FLASK_DATABASE=str(database),
        # As the deploy page says: gunicorn passes the proxy's headers on,
        # for flaskr to read; waitress reads them itself.
        FLASK_PROXY_COUNT="1" if arguments[0] == "gunicorn" else "0",
    )
    environment.update(settings)
    with log.open("w") as output:
        server = subprocess.Popen(
            [program, *arguments[1:]],
            env=environment,
            stdout=output,
            stderr=output,
        )
    try:
        wait_for_port(port, seconds=30)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def other_addresses() -> set[str]:
    """This machine's IPv4 addresses outside loopback, if it has any."""
    found: set[str] = set()
    with contextlib.suppress(OSError):
        hostname = socket.gethostname()
        for *_, address in socket.getaddrinfo(hostname, None, socket.AF_INET):
            found.add(str(address[0]))
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with contextlib.suppress(OSError), probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent
        found.add(probe.getsockname()[0])
    return {a for a in found if not ipaddress.ip_address(a).is_loopback}


def raw_login_post(
    port: int, framing: bytes, body: Iterable[bytes] = ()
) -> tuple[int, str]:
    """POST to /auth/login with this framing header, then send ``body``
    for as long as the server reads it; the status and the page."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + framing
            + b"\r\n\r\n"
        )
        response = HTTPResponse(conn)
        with contextlib.suppress(OSError):  # the server stopped reading
            for part in body:
                conn.sendall(part)
        response.begin()  # a timeout here: the server waits for the body
        return response.status, response.read().decode()


def huge_announced_body(port: int) -> tuple[int, str]:
    """POST a form that says it is 512 MiB, and send none of it."""
    return raw_login_post(port, b"Content-Length: 536870912")


def chunked_body(port: int, size: int) -> tuple[int, str]:
    """POST a form of ``size`` bytes in chunks, which announce no size."""
    chunk = b"a=" + b"x" * (64 * 1024 - 2)
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    body = [framed] * (size // len(chunk)) + [b"0\r\n\r\n"]
    return raw_login_post(port, b"Transfer-Encoding: chunked", body)


@pytest.fixture(
    scope="module", params=list(DISTINCT.values()), ids=list(DISTINCT)
)
def documented_server(request, database, tmp_path_factory):
    """One documented command, running; its arguments, port and log."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve(request.param, database, log) as port:
        yield request.param, port, log


def test_documented_server_is_reachable_only_as_documented(
    documented_server,
):
    """The server listens on 127.0.0.1 alone: from this machine's other
    addresses, nothing answers, so no visitor can skip the proxy."""
    _, port, log = documented_server
    for address in other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=5).close()
    listening = re.findall(
        r"(?:Serving on|Listening at:) (\S+)", log.read_text()
    )
    assert listening == [f"http://127.0.0.1:{port}"]


def test_documented_server_refuses_a_huge_body_unread(documented_server):
    """A form that announces 512 MiB gets 413 at once; one sent in chunks
    is refused past 1 MiB: nothing buffers hundreds of megabytes first."""
    arguments, port, _ = documented_server
    status, text = huge_announced_body(port)
    assert status == 413
    status, chunked_text = chunked_body(port, 2 * MAX_BODY)
    if arguments[0] == "waitress-serve":
        # waitress itself, before flaskr sees any of it.
        assert status == 413
        assert "(generated by waitress)" in text
        assert "(generated by waitress)" in chunked_text
    else:
        # Under gunicorn, Werkzeug reads 1 MiB of it at most
        # (MAX_CONTENT_LENGTH); no CSRF token in there, so 400.
        assert status == 400
        assert "The CSRF token is missing." in chunked_text


def failed_login(port: int, forwarded_for: str) -> int:
    """A wrong password, sent with ``X-Forwarded-For``; the status."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Forwarded-For": forwarded_for}
    connection.request("GET", "/auth/login", headers=headers)
    form = connection.getresponse()
    page = form.read().decode()
    headers["Cookie"] = form.getheader("Set-Cookie", "").partition(";")[0]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    fields = {"username": "test", "password": "wrong-password"}
    fields["csrf_token"] = csrf_token(page)
    connection.request("POST", "/auth/login", urlencode(fields), headers)
    status = connection.getresponse().status
    connection.close()
    return status


def command(*, program: str, trusted_proxy: str | None = None) -> list[str]:
    """The deploy page's command of ``program`` (with this proxy)."""
    return next(
        arguments
        for page, arguments in COMMANDS
        if page == "docs/flaskr/deploy.rst" and arguments[0] == program
        and options(arguments).get("--trusted-proxy") == trusted_proxy
    )  # fmt: skip


@pytest.mark.parametrize(
    ("program", "trusted_proxy"),
    [("waitress-serve", "127.0.0.1"), ("gunicorn", None)],
    ids=["waitress", "gunicorn"],
)
def test_behind_the_proxy_each_visitor_counts_on_their_own(
    program, trusted_proxy, database, tmp_path
):
    """Through the proxy on 127.0.0.1, the address it adds last is the
    visitor's: one visitor's failed logins never stop another's, and an
    address a visitor wrote first in the header is not believed."""
    arguments = command(program=program, trusted_proxy=trusted_proxy)
    settings = {"FLASK_LOGIN_LIMIT": "1/hour"}
    with contextlib.ExitStack() as stack:
        if program == "gunicorn":  # four workers count in one place
            url = stack.enter_context(redis_server(tmp_path))
            settings["FLASK_RATELIMIT_STORAGE_URI"] = url
        log = tmp_path / "server.log"
        port = stack.enter_context(serve(arguments, database, log, **settings))
        assert failed_login(port, "203.0.113.1") == 400
        assert failed_login(port, "203.0.113.2") == 400
        assert failed_login(port, "198.51.100.9, 203.0.113.1") == 429


def test_proxy_headers_from_anyone_but_the_proxy_are_ignored(
    database, tmp_path
):
    """waitress, told the proxy is another machine, drops the
    X-Forwarded-For of any other client: that client cannot claim a new
    address at each guess, and all its guesses count as its own."""
    arguments = next(
        arguments
        for arguments in DISTINCT.values()
        if options(arguments).get("--trusted-proxy") not in (None, "127.0.0.1")
    )
    settings = {"FLASK_LOGIN_LIMIT": "1/hour"}
    log = tmp_path / "server.log"
    with serve(arguments, database, log, **settings) as port:
        assert failed_login(port, "203.0.113.1") == 400
        assert failed_login(port, "203.0.113.2") == 429
