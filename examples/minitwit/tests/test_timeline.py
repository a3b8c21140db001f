"""Timelines, messages and following: the original minitwit tests and more."""

from __future__ import annotations

import re
import secrets
import urllib.parse
from collections import Counter

import pytest
from conftest import flashed, sql
from html_page import Page
from sqlalchemy import event

from minitwit.models import MESSAGE_MAX_LENGTH, User, db
from showcase.testing import submit_form

pytestmark = pytest.mark.step(3)


def add_user(app, username):
    """Make an account straight in the database (no sign-up form)."""
    with app.app_context():
        db.session.add(
            User(
                username=username,
                email=f"{username}@example.com",
                pw_hash="!",  # no password logs in
                session_token=secrets.token_hex(16),
            )
        )
        db.session.commit()


def post(client, text):
    """Share a message through the form on the home page."""
    return submit_form(client, "/add_message", {"text": text}, form_url="/")


def count(app, query):
    """Run a COUNT query straight on the database."""
    (row,) = sql(app, query)
    return next(iter(row.values()))


def follows(app):
    """Every (follower, followed) pair, by name."""
    rows = sql(
        app,
        "SELECT a.username AS who, b.username AS whom FROM follower"
        " JOIN account a ON a.id = who_id JOIN account b ON b.id = whom_id",
    )
    return sorted((row["who"], row["whom"]) for row in rows)


# --- messages ----------------------------------------------------------------


def test_anonymous_home_redirects_to_public(client):
    response = client.get("/")
    assert response.location == "/public"


@pytest.mark.step(12)
def test_message_recording_with_escaping(client, auth):
    """The original minitwit test: messages show up, HTML is escaped."""
    auth.signup("foo")
    post(client, "test message 1")
    post(client, "<test message 2>")
    html = client.get("/").get_data(as_text=True)
    assert "test message 1" in html
    assert "&lt;test message 2&gt;" in html
    assert "<test message 2>" not in html


@pytest.mark.step(12)
def test_message_flash_and_redirect(client, auth):
    auth.signup("foo")
    response = post(client, "hello")
    assert response.location == "/"
    assert flashed(client) == [("success", "Your message was recorded.")]
    assert "Your message was recorded." in Page(client.get("/").text).text()


@pytest.mark.step(12)
def test_message_is_stripped(app, client, auth):
    auth.signup("foo")
    post(client, "  spaced out  \n")
    assert (
        count(app, "SELECT COUNT(*) FROM message WHERE text = 'spaced out'")
        == 1
    )


@pytest.mark.step(12)
@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Write something first."),
        ("   \n\t ", "Write something first."),
        (
            "x" * (MESSAGE_MAX_LENGTH + 1),
            "Field cannot be longer than 280 characters.",
        ),
        ("a\x00b", "Remove the control characters from the text."),
        ("ring \x07 the bell", "Remove the control characters"),
    ],
)
def test_message_rejected(app, client, auth, text, error):
    auth.signup("foo")
    post(client, "keep me")
    response = post(client, text)
    assert response.status_code == 400
    page = Page(response.text)
    assert error in page.text()
    kept = page.form_with("text")["text"]["text"]
    assert kept.strip() == text.strip()  # nothing is lost
    assert count(app, "SELECT COUNT(*) FROM message") == 1


@pytest.mark.step(12)
def test_line_breaks_and_tabs_are_kept(app, client, auth):
    auth.signup("foo")
    assert post(client, "one\r\n\ttwo").location == "/"
    assert count(app, "SELECT COUNT(*) FROM message") == 1


@pytest.mark.step(12)
def test_message_of_maximum_length_is_accepted(app, client, auth):
    auth.signup("foo")
    assert post(client, "x" * MESSAGE_MAX_LENGTH).location == "/"
    assert count(app, "SELECT COUNT(*) FROM message") == 1


@pytest.mark.step(12)
def test_add_message_needs_login(app, client):
    response = submit_form(
        client, "/add_message", {"text": "hi"}, form_url="/login"
    )
    assert response.location == "/login?next=%2Fadd_message"
    assert count(app, "SELECT COUNT(*) FROM message") == 0


@pytest.mark.step(12)
def test_add_message_without_csrf_token(app, client, auth):
    auth.signup("foo")
    assert client.post("/add_message", data={"text": "hi"}).status_code == 400
    assert count(app, "SELECT COUNT(*) FROM message") == 0


@pytest.mark.step(12)
def test_unconfirmed_user_cannot_post_and_is_told_why(app, client, auth):
    auth.register("foo")
    page = Page(client.get("/").text)
    assert "text" not in page.fields()  # no message form
    assert page.form_to("/confirm") is not None  # mail it again
    response = post(client, "hello")
    assert response.location == "/"
    ((category, message),) = flashed(client)
    assert category == "error" and "Confirm your address first" in message
    assert count(app, "SELECT COUNT(*) FROM message") == 0


@pytest.mark.step(12)
def test_timestamps_are_readable_and_machine_readable(client, auth):
    auth.signup("foo")
    post(client, "what time is it?")
    ((machine, shown),) = Page(client.get("/public").text).times
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", machine)
    assert re.match(r"\d{1,2} \w{3} \d{4}, ", shown)


# --- timelines and following -------------------------------------------------


@pytest.mark.step(13)
def test_timelines(app, client, auth):
    """The original minitwit scenario: foo and bar follow and unfollow."""
    auth.signup("foo")
    post(client, "the message by foo")
    auth.logout()
    auth.signup("bar")
    post(client, "the message by bar")

    html = client.get("/public").get_data(as_text=True)
    assert "the message by foo" in html
    assert "the message by bar" in html

    # bar's timeline shows only bar's message
    html = client.get("/").get_data(as_text=True)
    assert "the message by foo" not in html
    assert "the message by bar" in html

    # now follow foo
    response = submit_form(client, "/foo/follow", form_url="/foo")
    assert response.location == "/foo"
    assert flashed(client) == [("success", "You are now following foo.")]
    page = Page(client.get("/foo").text)
    assert "You are now following foo." in page.text()
    assert page.form_to("/foo/unfollow") is not None
    assert page.form_to("/foo/follow") is None

    # we should now see foo's message
    html = client.get("/").get_data(as_text=True)
    assert "the message by foo" in html
    assert "the message by bar" in html

    # but on the user's page we only want the user's message
    page = Page(client.get("/bar").text)
    assert "the message by foo" not in page.text()
    assert "the message by bar" in page.text()
    assert page.form_to("/bar/follow") is page.form_to("/bar/unfollow") is None
    html = client.get("/foo").get_data(as_text=True)
    assert "the message by foo" in html
    assert "the message by bar" not in html

    # now unfollow and check if that worked
    response = submit_form(client, "/foo/unfollow", form_url="/foo")
    assert response.location == "/foo"
    assert flashed(client) == [("success", "You are no longer following foo.")]
    page = Page(client.get("/foo").text)
    assert "You are no longer following foo." in page.text()
    assert page.form_to("/foo/follow") is not None
    html = client.get("/").get_data(as_text=True)
    assert "the message by foo" not in html
    assert "the message by bar" in html


def only_when_empty(empty_html, full_html):
    """The links a page shows while its list is empty, and not after."""
    return Counter(Page(empty_html).hrefs()) - Counter(Page(full_html).hrefs())


@pytest.mark.step(12)
def test_empty_public_timeline_offers_writing_the_first_message(
    app, client, auth
):
    """No messages yet: visitors get a link to sign up, users a link to
    their timeline, where they write; once there are messages, neither."""
    visitor_empty = client.get("/public").text
    auth.signup("foo")
    user_empty = client.get("/public").text
    post(client, "the first message")
    user_full = client.get("/public").text
    auth.logout()
    visitor_full = client.get("/public").text
    assert "/register" in only_when_empty(visitor_empty, visitor_full)
    assert "/" in only_when_empty(user_empty, user_full)


@pytest.mark.step(13)
def test_your_empty_page_offers_writing_your_first_message(app, client, auth):
    """Your own page, before your first message, links to your timeline."""
    auth.signup("foo")
    empty = client.get("/foo").text
    post(client, "the first message")
    assert "/" in only_when_empty(empty, client.get("/foo").text)


@pytest.mark.step(13)
def test_empty_home_timeline_offers_people_to_follow(app, client, auth):
    """Nothing on your timeline: a link to the public timeline, to find
    people to follow; once there are messages, no such link."""
    auth.signup("foo")
    empty = client.get("/").text
    post(client, "the first message")
    assert "/public" in only_when_empty(empty, client.get("/").text)


def test_user_page_for_anonymous_has_no_buttons(app, client):
    add_user(app, "foo")
    page = Page(client.get("/foo").text)
    assert "foo" in page.text()
    assert page.form_to("/foo/follow") is page.form_to("/foo/unfollow") is None


@pytest.mark.parametrize("path", ["/nobody", "/no/such/page"])
def test_a_page_that_is_not_there_is_a_404_with_the_way_back(client, path):
    """No such user, no such address: 404, and a link to the start page."""
    response = client.get(path)
    assert response.status_code == 404
    assert "/" in Page(response.text).hrefs()


def test_user_page_any_case(app, client):
    add_user(app, "foo")
    assert client.get("/FOO").status_code == 200


@pytest.mark.step(8)
@pytest.mark.parametrize("name", ["a%00b", "x" * 31, "x" * 5000])
def test_names_no_account_can_have_are_404(client, auth, name):
    """Too long, or with a NUL (which PostgreSQL text cannot even hold)."""
    assert client.get(f"/{name}").status_code == 404
    response = auth.login(urllib.parse.unquote(name), "whatever-password")
    assert response.status_code == 400
    assert b"Invalid username or password." in response.data


@pytest.mark.step(13)
def test_unknown_user_is_404(client, auth):
    assert client.get("/nobody").status_code == 404
    auth.signup("foo")
    assert (
        submit_form(client, "/nobody/follow", form_url="/").status_code == 404
    )
    assert (
        submit_form(client, "/nobody/unfollow", form_url="/").status_code
        == 404
    )


@pytest.mark.step(13)
def test_following_twice_keeps_one_row(app, client, auth):
    auth.signup("foo")
    auth.logout()
    auth.signup("bar")
    submit_form(client, "/foo/follow", form_url="/foo")
    submit_form(client, "/foo/follow", form_url="/foo")
    assert follows(app) == [("bar", "foo")]


@pytest.mark.step(13)
def test_cannot_follow_yourself(app, client, auth):
    auth.signup("foo")
    response = submit_form(client, "/foo/follow", form_url="/foo")
    assert response.location == "/foo"
    assert flashed(client) == [("error", "You cannot follow yourself.")]
    assert follows(app) == []


@pytest.mark.step(13)
def test_unconfirmed_user_cannot_follow(app, client, auth):
    auth.signup("foo")
    auth.logout()
    auth.register("bar")
    response = submit_form(client, "/foo/follow", form_url="/foo")
    assert response.location == "/"
    assert [category for category, _ in flashed(client)] == ["error"]
    assert follows(app) == []


@pytest.mark.step(13)
def test_follow_needs_login(app, client, auth):
    auth.signup("foo")
    auth.logout()
    response = submit_form(client, "/foo/follow", form_url="/login")
    assert response.location == "/login?next=%2Ffoo%2Ffollow"
    assert follows(app) == []


@pytest.mark.step(13)
def test_follow_get_changes_nothing(app, client, auth):
    auth.signup("foo")
    auth.logout()
    auth.signup("bar")
    assert client.get("/foo/follow").status_code == 405
    assert follows(app) == []


@pytest.mark.step(13)
def test_follow_without_csrf_token(app, client, auth):
    auth.signup("foo")
    auth.logout()
    auth.signup("bar")
    assert client.post("/foo/follow").status_code == 400
    assert follows(app) == []


# --- every query of a page reads an index range ------------------------------


def recorded_statements(app, client, url):
    """Every statement ``GET url`` runs: (SQL, parameters, context)."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters, context))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def statements_of(app, client, url):
    """The SELECT statements (with their parameters) that ``GET url`` runs."""
    return [
        (statement, parameters)
        for statement, parameters, _ in recorded_statements(app, client, url)
        if statement.lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def query_plan(app, statement, parameters):
    """The engine's plan for ``statement``, one line per step.

    PostgreSQL is told to avoid reading whole tables and hashing them
    wherever it can: on tables this small it would rather, so its plan
    would prove nothing about a million messages.
    """
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters
            )
            return [row.detail for row in rows]
        for setting in ("seqscan", "hashjoin", "mergejoin"):
            connection.exec_driver_sql(f"SET enable_{setting} = off")
        connection.exec_driver_sql("ANALYZE message")  # its real size
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return [row[0] for row in rows]


@pytest.fixture
def busy_site(app, client, auth):
    """foo follows bar; both posted; foo is logged in."""
    auth.signup("bar")
    post(client, "bar was here")
    auth.logout()
    auth.signup("foo")
    post(client, "foo was here")
    submit_form(client, "/bar/follow", form_url="/bar")
    return client


@pytest.mark.step(13)
@pytest.mark.parametrize("url", ["/", "/public", "/bar"])
def test_every_query_of_a_page_uses_an_index(app, busy_site, url):
    statements = statements_of(app, busy_site, url)
    assert len(statements) >= 2  # the logged-in user, then the timeline
    for statement, parameters in statements:
        plan = query_plan(app, statement, parameters)
        for step in plan:
            # A whole table may only be read through an index, in order.
            assert not re.match(
                r"SCAN (message|account|follower)\b", step
            ) or ("INDEX" in step), (statement, plan)
            assert "Seq Scan" not in step, (statement, plan)


@pytest.mark.step(13)
@pytest.mark.parametrize("url", ["/public", "/bar"])
def test_public_and_user_pages_need_no_sorting(app, busy_site, url):
    """Read in index order: page 1 costs PER_PAGE rows, however many exist."""
    statements = statements_of(app, busy_site, url)
    page_query = next(s for s in statements if "LIMIT" in s[0])
    plan = query_plan(app, *page_query)
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert not any(step.lstrip("-> ").startswith("Sort") for step in plan)
