"""Suspension, tried by everyone: a moderator stops an account, then lets
it back.

carol writes and is suspended, bob follows her, alice moderates, dave is
an admin. carol then tries her old session, her remember-me cookie, her
API token, a new login and a new token.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD, AuthActions, sql
from html_page import Page
from test_api_tokens import new_token, works
from test_moderation import act, log, logged_in, shown, site, token
from test_sessions import browser_with, copy_cookies

from showcase.testing import submit_form

__all__ = ["site"]  # the fixture, shared with the moderation tests

pytestmark = pytest.mark.step(37)


def user_id(app, username: str) -> int:
    """The id of ``username``'s account."""
    query = "SELECT id FROM account WHERE username = :name"
    return sql(app, query, name=username)[0]["id"]


def account_action(browser, action, user: int, reason: str = "Spam."):
    """Suspend or restore an account, as the moderators' page does."""
    url = f"/moderation/accounts/{user}/{action}"
    return browser.post(
        url, data={"reason": reason, "csrf_token": token(browser)}
    )


def hidden_as(app) -> dict[str, str | None]:
    """Each message's text and why it is hidden (``None``: shown)."""
    rows = sql(app, "SELECT text, hidden FROM message")
    return {row["text"]: row["hidden"] for row in rows}


@pytest.fixture
def carol(app, site):
    """carol's id; she is logged in with "remember me", and has a token."""
    site.carol.post("/logout", data={"csrf_token": token(site.carol)})
    AuthActions(site.carol).login("carol", remember=True)
    site.token = new_token(app.test_client(), "carol").get_json()["token"]
    return user_id(app, "carol")


def test_the_queue_offers_to_suspend_a_reported_author(site, carol):
    submit_form(
        site.bob,
        f"/messages/{site.message}/report",
        {"reason": "Spam."},
    )
    page = Page(site.alice.get("/moderation/").text)
    assert page.form_to(f"/moderation/accounts/{carol}/suspend")


def test_a_suspended_account_is_stopped_at_once(app, site, carol):
    stolen = copy_cookies(site.carol)
    response = account_action(site.alice, "suspend", carol, "Spam, twice.")
    assert response.headers["Location"] == "/moderation/"
    # Every way in ends on the next request.
    assert site.carol.get("/").headers["Location"].startswith("/public")
    for name, value in stolen.items():
        browser = browser_with(app, {name: value})
        assert browser.get("/settings/profile").status_code != 200, name
    assert not works(app.test_client(), site.token)
    response = submit_form(
        site.carol, "/add_message", {"text": "Still here"}, form_url="/login"
    )
    assert response.headers["Location"].startswith("/login")
    # Her messages are hidden everywhere, and nobody else's.
    for browser, url in [
        (site.bob, "/"),
        (site.bob, "/public"),
        (site.bob, "/carol"),
        (app.test_client(), "/carol"),
    ]:
        assert "Something" not in shown(browser, url), url
    api = app.test_client().get("/api/v1/users/carol/messages").get_json()
    assert api["messages"] == []
    assert set(hidden_as(app).values()) == {"suspension"}
    (entry,) = log(app)
    assert entry["action"] == "suspend" and entry["reason"] == "Spam, twice."
    assert entry["account_id"] == carol and entry["message_id"] is None


def test_the_owner_learns_why_when_they_log_in(app, site, carol):
    account_action(site.alice, "suspend", carol, "Spam, twice.")
    browser = AuthActions(app.test_client())
    response = browser.login("carol")
    assert response.status_code == 400  # the form, refused
    assert "Spam, twice." in Page(response.text).text()
    assert browser.client.get("/").headers["Location"].startswith("/public")
    wrong = browser.login("carol", password="not-" + PASSWORD)
    assert "Spam, twice." not in Page(wrong.text).text()


def test_the_owner_gets_no_new_token(app, site, carol):
    account_action(site.alice, "suspend", carol, "Spam, twice.")
    response = new_token(app.test_client(), "carol")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "Spam, twice." in response.get_json()["detail"]
    assert new_token(app.test_client(), "carol", "wrong").status_code == 401


def test_restoring_the_account_lets_it_back(app, site, carol):
    act(site.alice, "hide", site.message)  # hidden on its own first
    account_action(site.alice, "suspend", carol)
    page = Page(site.alice.get("/moderation/").text)
    assert page.form_to(f"/moderation/accounts/{carol}/restore")
    response = account_action(site.alice, "restore", carol, "Appealed.")
    assert response.headers["Location"] == "/moderation/"
    assert hidden_as(app) == {
        "Something rude": "moderator",
        "Something kind": None,
    }
    assert "Something kind" in shown(site.bob, "/public")
    browser = AuthActions(app.test_client())
    browser.login("carol")
    assert browser.client.get("/").status_code == 200
    token = new_token(app.test_client(), "carol").get_json()["token"]
    assert works(app.test_client(), token)
    actions = [entry["action"] for entry in log(app)]
    assert actions == ["hide", "suspend", "restore account"]


def test_a_message_hidden_with_its_author_is_not_restored_alone(
    app, site, carol
):
    account_action(site.alice, "suspend", carol)
    assert act(site.alice, "restore", site.message).status_code == 409
    assert act(site.alice, "hide", site.message).status_code == 409
    assert hidden_as(app)["Something rude"] == "suspension"


def test_twice_is_refused(app, site, carol):
    account_action(site.alice, "suspend", carol)
    assert account_action(site.alice, "suspend", carol).status_code == 409
    account_action(site.alice, "restore", carol)
    assert account_action(site.alice, "restore", carol).status_code == 409
    assert [e["action"] for e in log(app)] == ["suspend", "restore account"]


# --- the attacks -----------------------------------------------------------


@pytest.mark.parametrize("action", ["suspend", "restore"])
def test_only_a_moderator_acts_on_accounts(app, site, carol, action):
    visitor = app.test_client()
    response = account_action(visitor, action, carol)
    assert response.headers["Location"].startswith("/login?next=")
    assert account_action(site.bob, action, carol).status_code == 403
    for who in (site.alice, site.bob, visitor):  # forged: no CSRF token
        url = f"/moderation/accounts/{carol}/{action}"
        assert who.post(url, data={"reason": "x"}).status_code == 400
    assert works(app.test_client(), site.token)
    assert log(app) == []


def test_a_moderator_suspends_neither_themselves_nor_an_admin(app, site):
    logged_in(app, "dave")
    app.test_cli_runner().invoke(args=["roles", "grant", "dave", "admin"])
    for name in ("alice", "dave"):
        response = account_action(site.alice, "suspend", user_id(app, name))
        assert response.status_code == 403
    assert log(app) == []


def test_a_missing_account_or_reason(app, site, carol):
    assert account_action(site.alice, "suspend", 999).status_code == 404
    assert account_action(site.alice, "suspend", carol, "").status_code == 400
    assert works(app.test_client(), site.token)
    assert log(app) == []
