"""The API page's examples work as written: its curl commands and script.

docs/minitwit/api-clients.rst shows a learner ``curl`` commands, each with
what it prints, and a Python script. Here they run against the showcase's
portal on a free port, with fresh demo data, as ``python3 run.py -s
serve`` would serve it. Only what the page says differs on your machine
changes: the port, and the token (the page shows one of its own).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import make_server

from .conftest import ROOT, seeded_portal

PAGE = ROOT / "docs" / "minitwit" / "api-clients.rst"
SCRIPT = ROOT / "docs" / "minitwit" / "api_client.py"
#: Where the page's commands expect the showcase.
PAGE_HOST = "127.0.0.1:5000"
#: The page's example token, in the header it puts in a variable.
PAGE_TOKEN = re.compile(r"Bearer ([\w-]{43})")
#: ``NAME=value``: the page keeps a value in a shell variable.
ASSIGNMENT = re.compile(r"([A-Z]+)=")


@dataclass
class Command:
    """A command of the page and the lines it shows printed under it."""

    text: str
    shown: list[str] = field(default_factory=list)


def console_blocks(rst: str) -> Iterator[list[str]]:
    """The lines of each ``console`` block (Linux and macOS), dedented."""
    lines = rst.splitlines()
    for number, line in enumerate(lines):
        if line.strip() != ".. code-block:: console":
            continue
        indent = len(line) - len(line.lstrip()) + 3
        block: list[str] = []
        for body in lines[number + 1 :]:
            if body.strip() and not body.startswith(" " * indent):
                break
            block.append(body[indent:])
        yield [body for body in block if body.strip()]


def commands(rst: str) -> list[Command]:
    """The page's POSIX commands in order, each with its shown output."""
    found: list[Command] = []
    continued = False
    for block in console_blocks(rst):
        for line in block:
            if continued:
                found[-1].text += "\n" + line
            elif line.startswith("$ "):
                found.append(Command(line[2:]))
            else:
                found[-1].shown.append(line)
            continued = line.endswith("\\")
    return found


def page_token() -> str:
    """The token the page shows, in place of the one a learner gets."""
    found = PAGE_TOKEN.search(PAGE.read_text())
    assert found, "the page shows no token"
    return found[1]


def pattern(line: str, port: int) -> re.Pattern[str]:
    """A shown line as a pattern: ``...`` is anything, a token any token."""
    line = line.replace(PAGE_HOST, f"127.0.0.1:{port}")
    parts = [re.escape(part) for part in line.split("...")]
    text = ".*".join(parts)
    return re.compile(text.replace(page_token(), r"[\w-]{43}"))


def unshown(shown: list[str], printed: str, port: int) -> str | None:
    """The first shown line not printed, in order; ``None`` if all are."""
    lines = iter(printed.splitlines())
    for line in shown:
        if line == "...":
            continue
        wanted = pattern(line, port)
        if not any(wanted.fullmatch(out.rstrip("\r")) for out in lines):
            return line
    return None


@pytest.fixture(scope="module")
def port(tmp_path_factory) -> Iterator[int]:
    """The showcase's portal with demo data, served on a free port."""
    portal = seeded_portal(tmp_path_factory.mktemp("api"), testing=False)
    server = make_server("127.0.0.1", 0, portal, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@dataclass
class Run:
    """A command of the page as run: its status and what it printed."""

    command: Command
    returncode: int
    printed: str


@pytest.fixture(scope="module")
def curl_runs(port) -> list[Run]:
    """Run the page's curl commands in order, in bash, as a learner would.

    A variable the page sets (``API=...``) keeps its value for the next
    commands; the header with the page's token gets the real one.
    """
    env = {**os.environ}
    token = example = page_token()
    runs = []
    for command in commands(PAGE.read_text()):
        if "api_client.py" in command.text:
            continue  # test_the_script_prints_what_the_page_shows
        text = command.text.replace(PAGE_HOST, f"127.0.0.1:{port}")
        assignment = ASSIGNMENT.match(text)
        if assignment:
            text = text.replace(example, token)
            name = assignment[1]
            text += f'\nprintf %s "${name}"'
        else:
            assert text.startswith("curl "), f"not a curl command: {text}"
        result = subprocess.run(
            ["bash", "-c", text],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        runs.append(Run(command, result.returncode, result.stdout))
        if assignment:
            env[name] = result.stdout
        elif '"token":' in result.stdout:
            token = json.loads(result.stdout)["token"]
    return runs


def test_every_curl_command_of_the_page_prints_what_it_shows(curl_runs, port):
    assert len(curl_runs) >= 12
    for run in curl_runs:
        assert run.returncode == 0, run.command.text
        missing = unshown(run.command.shown, run.printed, port)
        assert missing is None, (
            f"$ {run.command.text}\nshows {missing!r}\nprinted:\n{run.printed}"
        )


def test_the_page_reads_posts_follows_revokes_and_fails(curl_runs):
    """The commands cover what the page promises, in this order."""
    run_commands = " ".join(run.command.text for run in curl_runs)
    steps = [
        "$API/messages",
        "?before=",
        "-u alice:",
        "--json",
        "-X PUT",
        "$API/timeline",
        '-X DELETE -H "$AUTH" $API/following',
        '"text": ""',
        '-X DELETE -H "$AUTH" $API/tokens',
        "$API/timeline",
    ]
    places = []
    start = 0
    for step in steps:
        start = run_commands.index(step, start)
        places.append(start)
    assert places == sorted(places)


def test_the_script_prints_what_the_page_shows(curl_runs, port):
    """After the curl commands, as on the page, the script runs through."""
    (shown,) = [
        command
        for command in commands(PAGE.read_text())
        if "api_client.py" in command.text
    ]
    assert shown.text == f"python3 {SCRIPT.relative_to(ROOT).as_posix()}"
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={
            **os.environ,
            "MINITWIT_URL": f"http://127.0.0.1:{port}/minitwit",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    missing = unshown(shown.shown, result.stdout, port)
    assert missing is None, f"shows {missing!r}\nprinted:\n{result.stdout}"
