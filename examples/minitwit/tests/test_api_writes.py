"""What a program does with a token: post, follow, read its own timeline.

Posting is held to the rules of the form on the home page; following is a
resource a program puts and deletes, as often as it likes; the home
timeline pages the way the HTML home page does.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import PASSWORD, AuthActions, sql
from test_api import assert_problem, path_of, texts, walk
from test_api_tokens import bearer
from test_limits import from_address
from test_pagination import insert_messages, statements_of
from test_timeline import add_user

from minitwit.models import MESSAGE_MAX_LENGTH

pytestmark = pytest.mark.step(30)


def program(app, username="alice", address="127.0.0.1"):
    """A client of the API with a new token of ``username`` in each request,
    sent from ``address``."""
    client = from_address(app.test_client(), address)
    response = client.post("/api/v1/tokens", auth=(username, PASSWORD))
    assert response.status_code == 201, response.text
    token = response.json["token"]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def alice(app, auth):
    """A program of alice's (her browser, ``client``, is logged in)."""
    auth.signup("alice")
    return program(app)


def messages(app):
    """The texts of the messages stored, oldest first."""
    return [row["text"] for row in sql(app, "SELECT text FROM message")]


# --- posting -----------------------------------------------------------------


def test_a_message_posted_is_everyones_to_read(app, client, alice):
    response = alice.post("/api/v1/messages", json={"text": "  Hello <b>!"})
    assert response.status_code == 201
    message = response.json
    assert message["text"] == "Hello <b>!"  # stripped, as the form does
    assert message["author"] == "alice"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", message["pub_date"]
    )
    assert texts(client.get("/api/v1/messages")) == ["Hello <b>!"]
    assert "Hello &lt;b&gt;!" in client.get("/public").text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * (MESSAGE_MAX_LENGTH + 1)}, "text"),
        ({"text": "bell \x07"}, "text"),
        ({"text": 42}, "text"),
        ({"text": None}, "text"),
        ({}, "text"),
        ({"text": "hi", "author": "bob"}, "author"),
    ],
)
def test_a_message_the_form_would_refuse_is_a_422_naming_the_field(
    app, alice, body, field
):
    problem = assert_problem(alice.post("/api/v1/messages", json=body), 422)
    assert list(problem["errors"]["json"]) == [field]
    assert messages(app) == []


def test_the_longest_message_is_taken(app, alice):
    text = "x" * MESSAGE_MAX_LENGTH
    assert (
        alice.post("/api/v1/messages", json={"text": text}).status_code == 201
    )
    assert messages(app) == [text]


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", '{"text": "hi"}'),
        ("application/x-www-form-urlencoded", "text=hi"),
        (None, None),
    ],
)
def test_a_body_that_is_not_json_is_a_415(app, alice, content_type, data):
    headers = {"Content-Type": content_type} if content_type else {}
    response = alice.post("/api/v1/messages", headers=headers, data=data)
    assert_problem(response, 415)
    assert messages(app) == []


def test_broken_json_is_a_400(app, alice):
    response = alice.post(
        "/api/v1/messages", data='{"text": ', content_type="application/json"
    )
    assert_problem(response, 400)


def test_a_body_over_the_size_limit_is_a_413(app, alice):
    huge = '{"text": "' + "x" * (1024 * 1024) + '"}'
    response = alice.post(
        "/api/v1/messages", data=huge, content_type="application/json"
    )
    assert_problem(response, 413)
    assert messages(app) == []


def test_an_unconfirmed_account_cannot_post_or_follow(app, client, auth):
    auth.register("mallory")  # not confirmed
    add_user(app, "bob")
    mallory = program(app, "mallory")
    response = mallory.post("/api/v1/messages", json={"text": "hi"})
    assert "Confirm" in assert_problem(response, 403)["detail"]
    assert_problem(mallory.put("/api/v1/following/bob"), 403)
    assert_problem(mallory.delete("/api/v1/following/bob"), 403)
    assert mallory.get("/api/v1/timeline").status_code == 200  # reading is
    assert messages(app) == []


def test_a_forged_cross_site_post_with_the_cookie_alone_is_a_401(
    app, client, alice
):
    """Another site's page makes alice's browser (logged in, cookie and
    all) post to the API: no token, no message."""
    response = client.post(
        "/api/v1/messages",
        json={"text": "I love evil.example"},
        headers={"Origin": "https://evil.example"},
    )
    assert_problem(response, 401)
    response = client.post(  # a plain HTML form on their site
        "/api/v1/messages",
        data={"text": "I love evil.example"},
        headers={"Origin": "https://evil.example"},
    )
    assert_problem(response, 401)
    assert messages(app) == []


# --- limits ------------------------------------------------------------------


def test_posting_is_limited_per_token(app, alice):
    app.config["API_MESSAGE_LIMIT"] = "2 per hour"
    for n in range(2):
        response = alice.post("/api/v1/messages", json={"text": f"{n}"})
        assert response.status_code == 201
    response = alice.post("/api/v1/messages", json={"text": "3"})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    # Another token has a count of its own.
    again = program(app).post("/api/v1/messages", json={"text": "3"})
    assert again.status_code == 201
    assert messages(app) == ["0", "1", "3"]


def test_posting_is_limited_per_address(app, alice):
    app.config["API_MESSAGE_ADDRESS_LIMIT"] = "2 per hour"
    alice.post("/api/v1/messages", json={"text": "1"})
    second = program(app)  # a new token, the same address
    second.post("/api/v1/messages", json={"text": "2"})
    assert_problem(second.post("/api/v1/messages", json={"text": "3"}), 429)
    elsewhere = program(app, address="10.0.0.9")
    assert (
        elsewhere.post("/api/v1/messages", json={"text": "3"}).status_code
        == 201
    )


def test_default_posting_limits(app):
    assert app.config["API_MESSAGE_LIMIT"] == "60 per hour"
    assert app.config["API_MESSAGE_ADDRESS_LIMIT"] == "300 per hour"


# --- following ---------------------------------------------------------------


def follows(app):
    """The (who, whom) usernames of every follow."""
    rows = sql(
        app,
        "SELECT who.username AS who, whom.username AS whom FROM follower"
        " JOIN account who ON who.id = who_id"
        " JOIN account whom ON whom.id = whom_id",
    )
    return [(row["who"], row["whom"]) for row in rows]


def test_following_is_idempotent(app, alice):
    add_user(app, "bob")
    assert_problem(alice.get("/api/v1/following/bob"), 404)
    for _ in range(2):
        assert alice.put("/api/v1/following/BOB").status_code == 204
        assert follows(app) == [("alice", "bob")]
        assert alice.get("/api/v1/following/bob").status_code == 204
    for _ in range(2):
        assert alice.delete("/api/v1/following/bob").status_code == 204
        assert follows(app) == []
    assert (
        "bob"
        in assert_problem(alice.get("/api/v1/following/bob"), 404)["detail"]
    )


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_following_nobody_is_a_404(alice, method):
    response = alice.open("/api/v1/following/nobody", method=method)
    assert "nobody" in assert_problem(response, 404)["detail"]


def test_you_cannot_follow_yourself(app, alice):
    assert_problem(alice.put("/api/v1/following/alice"), 403)
    assert follows(app) == []


def test_following_needs_a_token(app, client, alice):
    add_user(app, "bob")
    for method in ("GET", "PUT", "DELETE"):
        response = client.open("/api/v1/following/bob", method=method)
        assert_problem(response, 401)
    assert follows(app) == []


# --- the home timeline -------------------------------------------------------


def test_the_timeline_has_yours_and_whom_you_follow(app, alice):
    for name in ("bob", "carol"):
        add_user(app, name)
        insert_messages(app, name, 2)
    alice.post("/api/v1/messages", json={"text": "mine"})
    alice.put("/api/v1/following/bob")
    assert texts(alice.get("/api/v1/timeline")) == ["mine", "bob 2.", "bob 1."]


def timeline_pages(app, alice, n):
    """alice's timeline, two messages a page, once she follows bob and bob
    wrote ``n`` messages."""
    app.config["PER_PAGE"] = 2
    add_user(app, "bob")
    insert_messages(app, "bob", n)
    alice.put("/api/v1/following/bob")
    return walk(alice, "/api/v1/timeline")


def test_the_timeline_pages_as_the_home_page(app, client, alice):
    pages = timeline_pages(app, alice, 5)
    assert [texts(page) for page in pages] == [
        ["bob 5.", "bob 4."],
        ["bob 3.", "bob 2."],
        ["bob 1."],
    ]
    assert pages[0].headers["Link"] == f"<{pages[0].json['next']}>; rel=next"
    # The HTML home page's "Older" link has the same position.
    html = client.get("/").text  # alice's browser, logged in
    older = re.search(r'rel="next" href="([^"]+)"', html)[1]
    html_position = urlsplit(older.replace("&amp;", "&")).query
    assert urlsplit(pages[0].json["next"]).query == html_position


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_no_timeline_page_counts_or_skips_rows(app, alice, where):
    pages = timeline_pages(app, alice, 6)
    page = {"first": "/api/v1/timeline"}
    page["middle"] = path_of(pages[0].json["next"])
    page["last"] = path_of(pages[1].json["next"])
    statements = statements_of(app, alice, page[where])
    assert any("message" in statement for statement in statements)
    for statement in statements:
        assert not re.search(r"\b(COUNT|OFFSET)\b", statement, re.I), statement


def test_the_document_describes_the_writes(client):
    document = client.get("/api/v1/openapi.json").json
    paths = document["paths"]
    assert set(paths["/api/v1/messages"]) == {"get", "post"}
    following = paths["/api/v1/following/{username}"]
    assert {"get", "put", "delete"} <= set(following)
    post = paths["/api/v1/messages"]["post"]
    assert post["security"] == [{"token": []}]
    assert {"401", "403", "422"} <= set(post["responses"])
    schemes = document["components"]["securitySchemes"]
    assert schemes["token"] == {"type": "http", "scheme": "bearer"}
    assert schemes["password"] == {"type": "http", "scheme": "basic"}


def test_a_browser_logged_in_as_someone_else_changes_nothing(app, alice):
    """alice's token, sent from bob's logged-in browser, acts for alice."""
    bob_browser = app.test_client()
    AuthActions(bob_browser).signup("bob")
    add_user(app, "carol")
    token = alice.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    response = bob_browser.put(
        "/api/v1/following/carol", headers=bearer(token)
    )
    assert response.status_code == 204
    assert follows(app) == [("alice", "carol")]
