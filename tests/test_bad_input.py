"""Bad input never gives a 500: every route of every example, hostile values.

For each URL rule of each example, this fills the rule's variables with values
a stranger could type (markup, huge and negative numbers, long text) and sends
GETs with odd query strings, then POSTs with every form field set to a hostile
value (empty, 10,000 characters, markup, a CR/LF header injection), once
without a CSRF token and once with one read from a form. Every answer must be
a page or a clear 4xx (a 503 "set up the database" page is also allowed),
never a 500.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.routing import Rule
from werkzeug.test import encode_multipart

from showcase.testing import csrf_token

from .conftest import EXAMPLES, seeded_portal

#: Values for a URL variable, by converter: what people type to poke at URLs.
HOSTILE = {
    "int": ["0", "-1", "99999999999999999999999", "1"],
    "default": [
        "<script>alert(1)</script>",
        "..%2F..%2Fetc%2Fpasswd",
        "%00",
        "é" * 300,
        "x",
    ],
}
QUERIES = [
    "",
    "?page=0",
    "?page=-1",
    "?page=abc",
    "?page=99999999999",
    "?next=//evil.example",
]
FORM_VALUES = [
    "",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "a\r\nBcc: victim@example.com",
]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The portal in production mode, on temporary data, demo data loaded."""
    return seeded_portal(tmp_path_factory.mktemp("bad-input"), testing=False)


def urls_for(rule: Rule) -> list[str]:
    """Every URL for ``rule`` with hostile values in its variables."""
    names = sorted(rule.arguments)
    choices = [
        HOSTILE["int"]
        if type(rule._converters[name]).__name__ == "IntegerConverter"
        else HOSTILE["default"]
        for name in names
    ]
    urls = []
    for values in itertools.product(*choices):
        path = rule.rule
        for name, value in zip(names, values, strict=True):
            # <name>, <int:name> or <int(signed=True):name>
            path = re.sub(
                rf"<(?:[^<>:]+:)?{name}>", lambda _, v=value: v, path
            )
        urls.append(path)
    return urls


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_route_answers_500_to_hostile_input(portal, name):
    (example,) = [
        e for e in portal.extensions["showcase_portal"] if e.name == name
    ]
    client = example.app.test_client()
    rules = [
        rule
        for rule in example.app.url_map.iter_rules()
        if not rule.endpoint.endswith("static")
    ]
    failures, sent, token = [], 0, None

    def send(method: str, url: str, form: dict[str, str]) -> None:
        nonlocal sent, token
        response = client.open(url, method=method, data=form)
        sent += 1
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(
                f"{method} {url} {sorted(form)[:1]} -> {response.status}"
            )
        if token is None and 'name="csrf_token"' in response.text:
            token = csrf_token(response)
        response.close()

    for rule in rules:
        for path, query in itertools.product(urls_for(rule), QUERIES):
            if "GET" in rule.methods:
                send("GET", path + query, {})
    assert token, "no page of the example has a form to read a CSRF token from"
    for rule in rules:
        for path in urls_for(rule):
            for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
                for value in FORM_VALUES:
                    form = dict.fromkeys(FORM_FIELDS, value)
                    send(method, path, form)  # no CSRF token: 400
                    send(method, path, {**form, "csrf_token": token})
    assert sent > 100
    assert failures == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_hostile_host_and_forwarded_headers(portal, name):
    """Issue 10, findings 12 and 13, on every GET route of every example.

    ``Host: evil.example`` gets a 400, never a redirect there. Forwarded
    headers are not trusted without ProxyFix, so they change nothing.
    HSTS comes with every answer over HTTPS.
    """
    (example,) = [
        e for e in portal.extensions["showcase_portal"] if e.name == name
    ]
    client = example.app.test_client()
    paths = [
        urls_for(rule)[-1]  # the last values are the harmless ones
        for rule in example.app.url_map.iter_rules()
        if "GET" in rule.methods
    ]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil"}
    for path in paths:
        with client.get(path, headers={"Host": "evil.example"}) as evil:
            assert evil.status_code == 400, path
            assert evil.location is None
        with client.get(path, headers=forwarded) as response:
            assert response.status_code < 500, path
            assert "evil" not in (response.location or "")
            assert "Strict-Transport-Security" not in response.headers
        with client.get(path, base_url="https://localhost") as secure:
            assert secure.status_code < 500, path
            assert "Strict-Transport-Security" in secure.headers


#: Every form field name the examples use, so each POST fills them all.
FORM_FIELDS = [
    "username",
    "password",
    "password2",
    "current_password",
    "email",
    "remember",
    "title",
    "body",
    "text",
    "name",
    "colour",
    "color",
    "word",
    "display_name",
    "about",
    "picture",
    "csrf_token",
]


def hostile_files() -> dict[str, bytes]:
    """Files people upload as pictures to poke at the upload: none is one."""
    png = b"\x89PNG\r\n\x1a\n"
    header = struct.pack(">IIBBBBB", 20_000, 20_000, 1, 0, 0, 0, 0)
    ihdr = b"IHDR" + header
    bomb = png + struct.pack(">I", 13) + ihdr
    bomb += struct.pack(">I", zlib.crc32(ihdr))  # no pixels follow
    return {
        "empty.png": b"",
        "page.png": b"<!DOCTYPE html><script>alert(1)</script>",
        "notes.png": b"Dear diary, " * 50,
        "header.png": png + b"\x00" * 50,
        "bomb.png": bomb,
        "gif.gif": b"GIF89a/*" + b"\xff" * 40,
        "big.jpg": b"\xff\xd8\xff" + b"\x00" * 1_100_000,
        "name.svg": b"<svg/>",
    }


def test_minitwit_settings_as_a_logged_in_user(portal):
    """The forms behind the login, in production: hostile text in the
    profile, hostile files as the picture. Never a 500; nothing stored."""
    (example,) = [
        e for e in portal.extensions["showcase_portal"] if e.name == "minitwit"
    ]
    app = example.app
    client = app.test_client()
    # Production: the session cookie and the CSRF check want HTTPS; the
    # portal serves minitwit under /minitwit, its cookie's path.
    base = "https://localhost/minitwit"
    https = {"base_url": base}

    def post(url: str, form: dict[str, object]) -> int:
        """Send ``form`` as the page at ``url`` would, over HTTPS."""
        page = client.get(url, **https)
        form = {**form, "csrf_token": csrf_token(page)}
        # Encoded here, in memory: the test client would spill a large
        # body to a temporary file that nothing closes if the app refuses
        # it unread.
        boundary, body = encode_multipart(form)
        with client.post(
            url,
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Referer": base + url},
            **https,
        ) as answer:
            return answer.status_code

    login = {"username": "carol", "password": "minitwit-demo"}
    assert 300 <= post("/login", login) < 400
    failures = []
    for value in FORM_VALUES:
        status = post(
            "/settings/profile", {"display_name": value, "about": value}
        )
        if status >= 500:
            failures.append(f"profile {value[:20]!r} -> {status}")
    for name, data in hostile_files().items():
        picture = FileStorage(io.BytesIO(data), name)
        status = post("/settings/avatar", {"picture": picture})
        if status not in (400, 413):
            failures.append(f"picture {name} -> {status}")
    assert failures == []
    folder = Path(app.config["AVATAR_FOLDER"])
    assert list(folder.glob("*")) == []
    # The same client, a real picture: stored, then removed.
    real = io.BytesIO()
    Image.new("RGB", (8, 8)).save(real, "PNG")
    real.seek(0)
    picture = FileStorage(real, "real.png")
    assert 300 <= post("/settings/avatar", {"picture": picture}) < 400
    assert len(list(folder.glob("*"))) == 1
    assert 300 <= post("/settings/avatar/remove", {}) < 400
    assert list(folder.glob("*")) == []
