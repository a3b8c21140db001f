"""Exercise 6: a moderator pins a message above the public timeline.

carol wrote five messages, a minute apart; alice moderates, bob reads.
The tests press Pin and Unpin as a moderator's page would: a POST with a
reason and the CSRF token.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from conftest import AuthActions, sql
from html_page import Page

from showcase.testing import csrf_token

#: carol's messages, oldest first: the public timeline shows them newest
#: first, ECHO at the top.
WORDS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
ALPHA, BRAVO, CHARLIE, DELTA, ECHO = TEXTS = [f"{w} message" for w in WORDS]
START = datetime(2026, 2, 1, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


def logged_in(app, username: str):
    """A browser of its own, logged in as a new confirmed ``username``."""
    auth = AuthActions(app.test_client())
    auth.signup(username)
    return auth.client


def write(app, username: str, texts: list[str]) -> list[int]:
    """Give ``username`` messages a minute apart, oldest first; their ids."""
    from minitwit.models import Message, User, db

    with app.app_context():
        author = User.named(username)
        messages = [
            Message(author=author, text=text, pub_date=START + i * MINUTE)
            for i, text in enumerate(texts)
        ]
        db.session.add_all(messages)
        db.session.commit()
        return [message.id for message in messages]


@pytest.fixture
def site(app):
    """carol's five messages; alice is a moderator, bob is not."""
    people = SimpleNamespace(
        **{name: logged_in(app, name) for name in ["carol", "alice", "bob"]}
    )
    people.id = dict(zip(TEXTS, write(app, "carol", TEXTS), strict=True))
    result = app.test_cli_runner().invoke(
        args=["roles", "grant", "alice", "moderator"]
    )
    assert result.exit_code == 0, result.output
    return people


def press(browser, action: str, message_id: int, reason: str = "Read it."):
    """Press a moderation button (pin, unpin, hide), with a reason."""
    page = browser.get("/public")  # its "Log out" form carries a token
    if "csrf_token" not in page.text:  # a visitor: the login form's
        page = browser.get("/login")
    url = f"/moderation/messages/{message_id}/{action}"
    return browser.post(
        url, data={"reason": reason, "csrf_token": csrf_token(page)}
    )


def shown(browser, url: str = "/public") -> list[str]:
    """carol's messages on a page, in the order they first appear."""
    response = browser.get(url)
    assert response.status_code == 200
    text = Page(response.text).text()
    return sorted((t for t in TEXTS if t in text), key=text.find)


def log(app) -> list[tuple[str, int]]:
    """The audit log's actions and their messages, oldest first."""
    rows = sql(app, "SELECT action, message_id FROM audit_log ORDER BY id")
    return [(row["action"], row["message_id"]) for row in rows]


def test_a_pinned_message_shows_above_the_public_timeline(app, site):
    """A moderator pins the oldest message, saying why: they are sent to
    /public, where everyone sees it above the newest one; the audit log
    has a "pin" of that message, with the reason."""
    assert shown(app.test_client()) == [ECHO, DELTA, CHARLIE, BRAVO, ALPHA]
    response = press(site.alice, "pin", site.id[ALPHA], "Read this first.")
    assert 300 <= response.status_code < 400
    assert response.headers["Location"] == "/public"
    for browser in (app.test_client(), site.bob, site.carol, site.alice):
        assert shown(browser) == [ALPHA, ECHO, DELTA, CHARLIE, BRAVO]
    assert log(app) == [("pin", site.id[ALPHA])]
    (row,) = sql(app, "SELECT reason FROM audit_log")
    assert row["reason"] == "Read this first."


def test_only_the_first_page_shows_it(app, site):
    """With two messages a page, the pinned one is above the first page
    only: the next page shows the messages after the first page's."""
    app.config["PER_PAGE"] = 2
    press(site.alice, "pin", site.id[ALPHA])
    visitor = app.test_client()
    first = visitor.get("/public")
    assert shown(visitor) == [ALPHA, ECHO, DELTA]
    older = Page(first.text).link("next")
    assert older is not None
    assert shown(visitor, older) == [CHARLIE, BRAVO]


def test_pinning_another_unpins_the_first(app, site):
    """One message is pinned at most: the second pin takes the place of
    the first, which is back in its place only."""
    press(site.alice, "pin", site.id[ALPHA])
    response = press(site.alice, "pin", site.id[CHARLIE])
    assert response.headers["Location"] == "/public"
    assert shown(site.bob) == [CHARLIE, ECHO, DELTA, BRAVO, ALPHA]
    pins = [(a, m) for a, m in log(app) if a == "pin"]
    assert pins == [("pin", site.id[ALPHA]), ("pin", site.id[CHARLIE])]


def test_unpin(app, site):
    """Unpin takes the message from the top, into the log too; unpinning
    a message that is not pinned is a 409."""
    press(site.alice, "pin", site.id[ALPHA])
    response = press(site.alice, "unpin", site.id[ALPHA], "Old news.")
    assert 300 <= response.status_code < 400
    assert response.headers["Location"] == "/public"
    assert shown(site.bob) == [ECHO, DELTA, CHARLIE, BRAVO, ALPHA]
    assert log(app) == [("pin", site.id[ALPHA]), ("unpin", site.id[ALPHA])]
    assert press(site.alice, "unpin", site.id[ALPHA]).status_code == 409
    press(site.alice, "pin", site.id[BRAVO])
    assert press(site.alice, "unpin", site.id[ALPHA]).status_code == 409
    assert shown(site.bob)[0] == BRAVO


def test_a_hidden_message_is_never_shown_pinned(app, site):
    """A pinned message that a moderator hides is gone from /public, the
    top too; a hidden message cannot be pinned (409)."""
    press(site.alice, "pin", site.id[ALPHA])
    press(site.alice, "hide", site.id[ALPHA])
    assert shown(site.bob) == [ECHO, DELTA, CHARLIE, BRAVO]
    assert press(site.alice, "pin", site.id[ALPHA]).status_code == 409
    assert shown(site.bob) == [ECHO, DELTA, CHARLIE, BRAVO]
    assert [action for action, _ in log(app)] == ["pin", "hide"]


@pytest.mark.parametrize("action", ["pin", "unpin"])
def test_only_a_moderator_pins_or_unpins(app, site, action):
    """bob (no role) gets a 403, a visitor the login page, a form without
    its token or its reason a 400, a missing message a 404; a moderator
    gets a 403 for their own message or an admin's. Nothing changes."""
    press(site.alice, "pin", site.id[ALPHA])
    target = site.id[ALPHA if action == "unpin" else CHARLIE]
    assert press(site.bob, action, target).status_code == 403
    visitor = press(app.test_client(), action, target)
    assert visitor.headers["Location"].startswith("/login?next=")
    url = f"/moderation/messages/{target}/{action}"
    assert site.alice.post(url, data={"reason": "x"}).status_code == 400
    assert press(site.alice, action, target, reason="").status_code == 400
    assert press(site.alice, action, 999).status_code == 404
    logged_in(app, "dave")
    app.test_cli_runner().invoke(args=["roles", "grant", "dave", "admin"])
    for author in ("alice", "dave"):
        (mine,) = write(app, author, [f"{author}'s own"])
        assert press(site.alice, action, mine).status_code == 403
    assert shown(site.bob) == [ALPHA, ECHO, DELTA, CHARLIE, BRAVO]
    assert log(app) == [("pin", site.id[ALPHA])]
