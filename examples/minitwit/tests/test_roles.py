"""Roles: granted and revoked by a command, read afresh on every request."""

from __future__ import annotations

import pytest
from conftest import AuthActions, sql
from html_page import Page

pytestmark = pytest.mark.step(31)


def roles(runner, *args: str):
    """Run ``flask roles ARGS``."""
    return runner.invoke(args=["roles", *args])


def logged_in(app, username: str, new: bool = True):
    """A browser of its own, logged in as ``username`` (made if ``new``)."""
    auth = AuthActions(app.test_client())
    auth.signup(username) if new else auth.login(username)
    return auth.client


def test_the_demo_data_gives_alice_and_bob_their_roles(make_app):
    app = make_app()
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    query = "SELECT username, name FROM role JOIN account ON id = user_id"
    rows = sorted((row["username"], row["name"]) for row in sql(app, query))
    assert rows == [("alice", "moderator"), ("bob", "admin")]


def test_a_page_for_a_role_is_for_that_role_only(make_app):
    """A view guarded by ``moderator.require()`` answers 403 to a user
    without the role and to a visitor; a role given counts at once."""
    from minitwit.roles import moderator

    app = make_app()
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0

    @app.get("/for-moderators")
    @moderator.require(http_exception=403)
    def for_moderators():
        return "Hello, moderator."

    alice = logged_in(app, "alice")
    assert alice.get("/for-moderators").status_code == 403
    assert app.test_client().get("/for-moderators").status_code == 403
    (alice_row,) = sql(app, "SELECT id FROM account")
    sql(app, "INSERT INTO role VALUES (:id, 'moderator')", id=alice_row["id"])
    assert alice.get("/for-moderators").status_code == 200


@pytest.mark.step(32)
def test_grant_list_and_revoke(app, runner):
    logged_in(app, "alice")
    logged_in(app, "bob")
    assert "No account has a role." in roles(runner, "list").output
    result = roles(runner, "grant", "alice", "moderator")
    assert result.exit_code == 0, result.output
    assert roles(runner, "grant", "ALICE", "admin").exit_code == 0
    assert roles(runner, "grant", "bob", "moderator").exit_code == 0
    listed = roles(runner, "list").output.splitlines()
    assert listed == ["alice: admin", "alice: moderator", "bob: moderator"]
    assert "already" in roles(runner, "grant", "alice", "admin").output
    assert roles(runner, "revoke", "alice", "admin").exit_code == 0
    assert "was not" in roles(runner, "revoke", "alice", "admin").output
    rows = sql(app, "SELECT user_id, name FROM role ORDER BY user_id")
    assert [row["name"] for row in rows] == ["moderator", "moderator"]


@pytest.mark.parametrize(
    "args",
    [
        ("grant", "nobody", "moderator"),
        ("revoke", "nobody", "admin"),
        ("grant", "alice", "superuser"),
        ("grant", "alice"),
    ],
)
@pytest.mark.step(32)
def test_refused_commands_change_nothing(app, runner, args):
    logged_in(app, "alice")
    result = roles(runner, *args)
    assert result.exit_code != 0
    assert sql(app, "SELECT * FROM role") == []


@pytest.mark.step(32)
def test_seed_makes_one_moderator_and_one_admin(make_app):
    runner = make_app().test_cli_runner()  # no tables: seed migrates
    assert runner.invoke(args=["seed"]).exit_code == 0
    listed = roles(runner, "list").output.splitlines()
    assert listed == ["alice: moderator", "bob: admin"]


@pytest.mark.step(34)
def test_a_role_counts_from_the_next_request_of_every_session(app, runner):
    first = logged_in(app, "alice")
    second = logged_in(app, "alice", new=False)
    for browser in (first, second):
        assert browser.get("/moderation/").status_code == 403
    roles(runner, "grant", "alice", "moderator")
    for browser in (first, second):
        assert browser.get("/moderation/").status_code == 200
    roles(runner, "revoke", "alice", "moderator")
    for browser in (first, second):
        assert browser.get("/moderation/").status_code == 403


@pytest.mark.step(34)
def test_the_menu_links_to_moderation_for_moderators_only(app, runner):
    alice, bob = logged_in(app, "alice"), logged_in(app, "bob")
    roles(runner, "grant", "alice", "moderator")
    assert "/moderation/" in Page(alice.get("/public").text).hrefs()
    assert "/moderation/" not in Page(bob.get("/public").text).hrefs()
    assert "/moderation/" not in Page(app.test_client().get("/").text).hrefs()


@pytest.mark.step(34)
def test_a_user_without_the_role_is_told_so(app):
    response = logged_in(app, "bob").get("/moderation/")
    assert response.status_code == 403
    assert Page(response.text).text()  # a page, not an empty answer


@pytest.mark.finished
def test_the_refusal_names_the_role(app):
    response = logged_in(app, "bob").get("/moderation/")
    assert "role" in Page(response.text).text()


@pytest.mark.step(34)
def test_pages_refused_before_the_roles_are_read_still_show(app, runner):
    """A refused form (no CSRF token) is answered before the roles are
    read: its error page shows, without the moderators' menu."""
    alice = logged_in(app, "alice")
    roles(runner, "grant", "alice", "moderator")
    response = alice.post("/add_message", data={"text": "no token"})
    assert response.status_code == 400
    assert "/moderation/" not in Page(response.text).hrefs()
    assert alice.get("/moderation/").status_code == 200
