"""The JSON API: timelines and profiles for programs, a page at a time.

Pages follow ``next`` links (in the body and in a ``Link`` header) with the
HTML pages' positions; every error under ``/api/`` is problem details; the
OpenAPI document describes it all and the Swagger UI page shows it, with
files the app serves itself.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from test_pagination import insert_messages, statements_of
from test_timeline import add_user

from minitwit.models import User, db

pytestmark = pytest.mark.step(25)

PROBLEM = "application/problem+json"


def texts(response):
    """The texts of the messages of an API page, in its order."""
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/json"
    return [message["text"] for message in response.json["messages"]]


def path_of(url):
    """The path and query of an absolute ``url``, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(client, url):
    """Every page from ``url`` on, following the ``next`` links."""
    pages = [client.get(url)]
    while pages[-1].json["next"]:
        pages.append(client.get(path_of(pages[-1].json["next"])))
    return pages


def assert_problem(response, status):
    """``response`` is problem details (RFC 9457) with ``status``."""
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.json
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"] and problem["detail"]
    return problem


@pytest.mark.parametrize(
    "url", ["/api/v1/messages", "/api/v1/users/foo/messages"]
)
def test_messages_come_newest_first_a_page_at_a_time(app, client, url):
    app.config["PER_PAGE"] = 2
    add_user(app, "foo")
    insert_messages(app, "foo", 5)
    pages = walk(client, url)
    assert [texts(page) for page in pages] == [
        ["foo 5.", "foo 4."],
        ["foo 3.", "foo 2."],
        ["foo 1."],
    ]
    for page in pages[:-1]:
        link = page.json["next"]
        assert urlsplit(link).path == url
        assert page.headers["Link"] == f"<{link}>; rel=next"
    assert "Link" not in pages[-1].headers


def test_a_message_says_who_wrote_it_and_when(app, client):
    add_user(app, "foo")
    insert_messages(app, "foo", 1)
    (message,) = client.get("/api/v1/messages").json["messages"]
    assert message["text"] == "foo 1."
    assert message["author"] == "foo"
    assert message["pub_date"] == "2026-02-01T00:01:00Z"
    assert isinstance(message["id"], int)


def test_no_messages_is_an_empty_page(client):
    response = client.get("/api/v1/messages")
    assert response.json == {"messages": [], "next": None}
    assert "Link" not in response.headers


def test_the_next_page_stays_put_when_someone_posts(app, client):
    app.config["PER_PAGE"] = 2
    add_user(app, "foo")
    insert_messages(app, "foo", 4)
    first = client.get("/api/v1/messages")
    add_user(app, "bar")
    insert_messages(app, "bar", 3, start=first_date_after(app))
    second = client.get(path_of(first.json["next"]))
    assert texts(second) == ["foo 2.", "foo 1."]


def first_date_after(app):
    """A date after every message of the tests' data."""
    from datetime import datetime, timezone

    return datetime(2027, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("html", ["/public", "/foo"])
def test_positions_are_the_html_pages_positions(app, client, html):
    app.config["PER_PAGE"] = 2
    add_user(app, "foo")
    insert_messages(app, "foo", 3)
    api = (
        "/api/v1/messages"
        if html == "/public"
        else "/api/v1/users/foo/messages"
    )
    older = re.search(r'rel="next" href="([^"]+)"', client.get(html).text)[1]
    html_position = urlsplit(older.replace("&amp;", "&")).query
    api_position = urlsplit(client.get(api).json["next"]).query
    assert api_position == html_position


def test_after_a_position_are_the_newer_messages(app, client):
    app.config["PER_PAGE"] = 2
    add_user(app, "foo")
    insert_messages(app, "foo", 5)
    pages = walk(client, "/api/v1/messages")
    position = urlsplit(pages[1].json["next"]).query.removeprefix("before=")
    # After foo 2.: foo 3. and foo 4., newest first, then the older ones.
    newer = client.get(f"/api/v1/messages?after={position}")
    assert texts(newer) == ["foo 4.", "foo 3."]
    assert texts(client.get(path_of(newer.json["next"]))) == [
        "foo 2.",
        "foo 1.",
    ]


def test_nothing_after_the_newest_is_an_empty_page(app, client):
    app.config["PER_PAGE"] = 1
    add_user(app, "foo")
    insert_messages(app, "foo", 2)
    newest = urlsplit(client.get("/api/v1/messages").json["next"]).query
    after = newest.replace("before=", "after=")  # after foo 2.
    page = client.get(f"/api/v1/messages?{after}")
    assert page.json == {"messages": [], "next": None}


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize(
    "url", ["/api/v1/messages", "/api/v1/users/bar/messages"]
)
def test_no_page_counts_or_skips_rows(app, client, url, where):
    app.config["PER_PAGE"] = 2
    add_user(app, "bar")
    insert_messages(app, "bar", 6)
    pages = walk(client, url)
    page = {"first": url, "middle": path_of(pages[0].json["next"])}
    page["last"] = path_of(pages[1].json["next"])
    statements = statements_of(app, client, page[where])
    assert any("message" in statement for statement in statements)
    for statement in statements:
        assert not re.search(r"\b(COUNT|OFFSET)\b", statement, re.I), statement


# --- profiles ----------------------------------------------------------------


def test_a_profile_has_names_about_and_the_drawn_picture(app, client):
    add_user(app, "foo")
    profile = client.get("/api/v1/users/FOO")  # any case, as the pages
    assert profile.status_code == 200
    assert profile.json == {
        "username": "foo",
        "display_name": None,
        "about": None,
        "avatar": "http://localhost/avatar/foo.svg",
        "messages": "http://localhost/api/v1/users/foo/messages",
    }
    assert client.get(path_of(profile.json["avatar"])).status_code == 200


def test_a_profile_shows_what_the_user_wrote_and_uploaded(app, client):
    add_user(app, "foo")
    with app.app_context():
        user = User.named("foo")
        assert user is not None
        user.display_name = "Foo <b>Bar</b>"
        user.about = "I write tests."
        user.avatar_name = "abc.webp"
        db.session.commit()
    profile = client.get("/api/v1/users/foo").json
    assert profile["display_name"] == "Foo <b>Bar</b>"  # JSON, not HTML
    assert profile["about"] == "I write tests."
    assert profile["avatar"] == "http://localhost/avatars/abc.webp"


@pytest.mark.step(26)
@pytest.mark.parametrize(
    "url", ["/api/v1/users/nobody", "/api/v1/users/nobody/messages"]
)
def test_an_unknown_user_is_a_404_problem(client, url):
    problem = assert_problem(client.get(url), 404)
    assert "nobody" in problem["detail"]


# --- errors ------------------------------------------------------------------


@pytest.mark.step(26)
@pytest.mark.parametrize(
    "query",
    [
        "before=2026-02-30T00:00:00.000000Z.1",  # no such day
        "before=2026-02-01T00:00:00.000000Z.1&after=2026-02-01T00:00:00.000000Z.1",
    ],
)
def test_a_position_minitwit_did_not_write_is_a_400_problem(client, query):
    assert_problem(client.get(f"/api/v1/messages?{query}"), 400)


@pytest.mark.step(26)
def test_a_position_of_the_wrong_form_is_a_422_naming_the_field(client):
    problem = assert_problem(
        client.get("/api/v1/messages?after=tomorrow"), 422
    )
    assert list(problem["errors"]) == ["query"]
    assert list(problem["errors"]["query"]) == ["after"]


@pytest.mark.step(26)
def test_an_unknown_api_url_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/nothing/here"), 404)


@pytest.mark.step(26)
def test_a_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/api/v1/messages")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


@pytest.mark.step(26)
def test_a_crash_is_a_500_problem_that_tells_nothing_inside(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def crash():
        raise RuntimeError("secret detail")

    app.add_url_rule("/api/v1/crash", "crash", crash)
    response = app.test_client().get("/api/v1/crash")
    problem = assert_problem(response, 500)
    assert "secret" not in response.text
    assert problem["title"] == "Internal Server Error"


def test_pages_outside_the_api_keep_the_html_error_page(client):
    response = client.get("/api")  # a user's page, were there one
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert client.get("/no/such/page").mimetype == "text/html"


# --- the document and its page -----------------------------------------------


@pytest.mark.step(30)
def test_the_openapi_document_is_valid_openapi_3_1(app, client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert set(document["paths"]) >= {
        "/api/v1/messages",
        "/api/v1/users/{username}",
        "/api/v1/users/{username}/messages",
        "/api/v1/tokens",
        "/api/v1/timeline",
        "/api/v1/following/{username}",
    }
    # Every URL of the API, and no other, as the document writes them.
    api_rules = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    ]
    written = {re.sub(r"<(?:[^:<>]+:)?(\w+)>", r"{\1}", r) for r in api_rules}
    assert set(document["paths"]) == written


@pytest.mark.step(26)
def test_the_document_gives_errors_as_problem_details(client):
    document = client.get("/api/v1/openapi.json").json
    for response in document["components"]["responses"].values():
        assert list(response["content"]) == [PROBLEM]
    operation = document["paths"]["/api/v1/messages"]["get"]
    assert "default" in operation["responses"]


@pytest.mark.step(27)
def test_the_docs_page_loads_swagger_ui_from_the_app_itself(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    html = page.text
    assert (
        "<script>" not in html
        and "<style" not in html
        and "style=" not in html
    )
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources  # the stylesheet and the scripts
    for source in sources:
        assert source.startswith("/"), source  # this site, no CDN
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert asset.data
    document = re.search(r'data-document="([^"]+)"', html)[1]
    assert client.get(document).json["openapi"] == "3.1.0"
