"""Moderation, tried by everyone: reports, the queue, hide, restore, dismiss.

carol writes, bob reads (he follows carol) and reports, alice moderates,
dave is an admin. Each moderation action is also tried by bob, by a
visitor and by a forged form without its CSRF token.
"""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from conftest import AuthActions, sql
from html_page import Page
from sent_mail import recorded_mail
from test_pagination import insert_messages

from showcase.testing import csrf_token, submit_form

pytestmark = pytest.mark.step(33)

ACTIONS = ["hide", "restore", "dismiss"]


def logged_in(app, username: str):
    """A browser of its own, logged in as a new confirmed ``username``."""
    auth = AuthActions(app.test_client())
    auth.signup(username)
    return auth.client


def post(browser, text: str) -> int:
    """Share a message; its id."""
    submit_form(browser, "/add_message", {"text": text}, form_url="/")
    (row,) = sql(browser.application, "SELECT max(id) AS id FROM message")
    return row["id"]


@pytest.fixture
def site(app):
    """carol posted two messages; bob follows her; alice moderates."""
    people = SimpleNamespace(
        **{name: logged_in(app, name) for name in ["carol", "bob", "alice"]}
    )
    people.message = post(people.carol, "Something rude")
    people.other = post(people.carol, "Something kind")
    submit_form(people.bob, "/carol/follow", form_url="/carol")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roles", "grant", "alice", "moderator"])
    return people


def token(browser) -> str:
    """A CSRF token of ``browser``'s session, from any page with a form."""
    page = browser.get("/public")
    return csrf_token(
        page if "csrf_token" in page.text else browser.get("/login")
    )


def report(browser, message_id: int, reason: str = "It is rude."):
    """Report a message, as its page's form does."""
    url = f"/messages/{message_id}/report"
    return browser.post(
        url, data={"reason": reason, "csrf_token": token(browser)}
    )


def act(browser, action: str, message_id: int, reason: str = "Rule 1."):
    """Press a moderation button, as the moderators' page does."""
    url = f"/moderation/messages/{message_id}/{action}"
    return browser.post(
        url, data={"reason": reason, "csrf_token": token(browser)}
    )


def shown(browser, url: str) -> str:
    """The text a page shows."""
    response = browser.get(url)
    assert response.status_code == 200
    return Page(response.text).text()


def log(app) -> list[dict]:
    """The audit log, oldest first."""
    return [dict(row) for row in sql(app, "SELECT * FROM audit_log")]


def hidden(app, message_id: int) -> bool:
    """Whether the message is hidden."""
    (row,) = sql(
        app, "SELECT hidden FROM message WHERE id = :id", id=message_id
    )
    return bool(row["hidden"])


# --- reporting ---------------------------------------------------------------


def test_report_a_message_once(app, site):
    page = Page(site.bob.get("/carol").text)
    assert f"/messages/{site.message}/report" in page.hrefs()
    response = report(site.bob, site.message)
    assert response.headers["Location"] == "/carol"
    response = report(site.bob, site.message, "Again.")
    assert response.headers["Location"] == "/carol"
    rows = sql(app, "SELECT message_id, reason, resolved FROM report")
    assert [dict(row) for row in rows] == [
        {"message_id": site.message, "reason": "It is rude.", "resolved": 0}
    ]


@pytest.mark.finished
def test_a_second_report_is_told_it_was_one_too_many(site):
    report(site.bob, site.message)
    report(site.bob, site.message, "Again.")
    assert "already reported" in shown(site.bob, "/carol")


def test_the_report_page_shows_the_message_and_asks_why(site):
    response = site.bob.get(f"/messages/{site.message}/report")
    page = Page(response.text)
    assert "Something rude" in page.text()
    assert "reason" in page.fields()
    response = report(site.bob, site.message, "   ")
    assert response.status_code == 400
    assert "reason" in Page(response.text).fields()


def test_nobody_reports_their_own_message(app, site):
    assert report(site.carol, site.message).status_code == 403
    assert "/report" not in " ".join(Page(site.carol.get("/").text).hrefs())
    assert sql(app, "SELECT * FROM report") == []


def test_a_visitor_is_sent_to_log_in(app, site):
    url = f"/messages/{site.message}/report"
    visitor = app.test_client()
    assert visitor.get(url).headers["Location"].startswith("/login?next=")
    assert "/report" not in " ".join(Page(visitor.get("/public").text).hrefs())


def test_an_unconfirmed_user_cannot_report(app, site):
    auth = AuthActions(app.test_client())
    auth.register("erin")
    assert report(auth.client, site.message).headers["Location"] == "/"
    assert sql(app, "SELECT * FROM report") == []


def test_a_forged_report_is_refused(app, site):
    url = f"/messages/{site.message}/report"
    response = site.bob.post(url, data={"reason": "forged"})
    assert response.status_code == 400
    assert sql(app, "SELECT * FROM report") == []


@pytest.mark.step(35)
def test_no_report_of_a_missing_or_hidden_message(site):
    assert site.bob.get("/messages/999/report").status_code == 404
    act(site.alice, "hide", site.message)
    assert site.bob.get(f"/messages/{site.message}/report").status_code == 404


def test_reports_are_throttled(app, site):
    app.config["REPORT_LIMIT"] = "1 per hour"
    assert report(site.bob, site.message).status_code == 302
    token = csrf_token(site.bob.get("/"))
    url = f"/messages/{site.other}/report"
    response = site.bob.post(url, data={"reason": "x", "csrf_token": token})
    assert response.status_code == 429


# --- the moderators' page ----------------------------------------------------


@pytest.mark.step(34)
def test_the_queue_shows_each_reported_message_with_its_reasons(app, site):
    report(site.bob, site.message, "It is rude.")
    report(logged_in(app, "erin"), site.message, "Very rude.")
    text = shown(site.alice, "/moderation/")
    assert "Something rude" in text
    assert "It is rude." in text and "Very rude." in text
    assert "Something kind" not in text


@pytest.mark.step(35)
def test_the_queue_asks_why_to_hide_or_dismiss(site):
    report(site.bob, site.message)
    page = Page(site.alice.get("/moderation/").text)
    for action in ("hide", "dismiss"):
        form = page.form_to(f"/moderation/messages/{site.message}/{action}")
        assert form is not None and "reason" in form


@pytest.mark.step(34)
def test_the_queue_is_for_moderators(app, site):
    assert site.bob.get("/moderation/").status_code == 403
    visitor = app.test_client().get("/moderation/")
    assert visitor.headers["Location"].startswith("/login?next=")


# --- hiding, restoring, dismissing -------------------------------------------


@pytest.mark.step(35)
def test_a_hidden_message_leaves_every_timeline(app, site):
    report(site.bob, site.message)
    with recorded_mail() as outbox:
        response = act(site.alice, "hide", site.message, "Insults: rule 1.")
    assert response.headers["Location"] == "/moderation/"
    for browser, url in [
        (site.bob, "/"),
        (site.bob, "/public"),
        (site.bob, "/carol"),
        (site.carol, "/"),
        (site.carol, "/carol"),
        (app.test_client(), "/public"),
        (app.test_client(), "/carol"),
    ]:
        text = shown(browser, url)
        assert "Something rude" not in text, url
        assert "Something kind" in text, url
    (mail,) = outbox
    assert mail.recipients == ["carol@example.com"]
    assert "Something rude" in mail.body and "Insults: rule 1." in mail.body
    assert sql(app, "SELECT * FROM report WHERE NOT resolved") == []


@pytest.mark.step(35)
def test_pages_stay_full_around_hidden_messages(app, site):
    app.config["PER_PAGE"] = 2
    later = datetime(2100, 1, 1, tzinfo=timezone.utc)  # after the others
    insert_messages(app, "carol", 4, start=later)
    rows = sql(app, "SELECT id FROM message WHERE text LIKE 'carol %'")
    ids = [row["id"] for row in sorted(rows, key=lambda row: row["id"])]
    for message_id in (ids[1], ids[2], site.other):
        act(site.alice, "hide", message_id)
    first = Page(site.bob.get("/carol").text)
    second = Page(site.bob.get(first.link("next")).text)
    texts = first.text() + second.text()
    assert "carol 4." in first.text() and "carol 1." in first.text()
    assert "Something rude" in second.text()
    for gone in ("carol 2.", "carol 3.", "Something kind"):
        assert gone not in texts


@pytest.mark.step(35)
def test_restore_shows_it_again(app, site):
    act(site.alice, "hide", site.message)
    response = act(site.alice, "restore", site.message, "Misread it.")
    assert response.headers["Location"] == "/moderation/"
    assert "Something rude" in shown(site.bob, "/public")


@pytest.mark.step(35)
def test_dismiss_keeps_the_message_and_closes_its_reports(app, site):
    report(site.bob, site.message)
    response = act(site.alice, "dismiss", site.message, "Not rude.")
    assert response.headers["Location"] == "/moderation/"
    assert "Something rude" in shown(site.bob, "/public")
    assert sql(app, "SELECT resolved FROM report")[0]["resolved"]
    assert "Something rude" not in shown(site.alice, "/moderation/")


@pytest.mark.step(35)
def test_twice_is_refused_once_done(app, site):
    with recorded_mail() as outbox:
        act(site.alice, "hide", site.message)
        assert act(site.alice, "hide", site.message).status_code == 409
    assert len(outbox) == 1
    act(site.alice, "restore", site.message)
    assert act(site.alice, "restore", site.message).status_code == 409
    assert not hidden(app, site.message)


# --- the attacks -----------------------------------------------------------


@pytest.mark.step(35)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_plain_user_cannot_moderate(app, site, action):
    report(site.bob, site.message)
    assert act(site.bob, action, site.message).status_code == 403
    assert not hidden(app, site.message)


@pytest.mark.step(35)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_visitor_is_sent_to_log_in_first(app, site, action):
    response = act(app.test_client(), action, site.message)
    assert response.headers["Location"].startswith("/login?next=")
    assert not hidden(app, site.message)


@pytest.mark.step(35)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["alice", "bob", "visitor"])
def test_a_forged_form_does_nothing(app, site, action, who):
    """A form posted from another site carries no CSRF token: 400."""
    browser = getattr(site, who, None) or app.test_client()
    url = f"/moderation/messages/{site.message}/{action}"
    assert browser.post(url, data={"reason": "x"}).status_code == 400
    assert browser.get(url).status_code == 405
    assert not hidden(app, site.message)


@pytest.mark.step(35)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_moderator_acts_neither_on_their_own_nor_on_an_admin(
    app, site, action
):
    dave = logged_in(app, "dave")
    app.test_cli_runner().invoke(args=["roles", "grant", "dave", "admin"])
    for author in (site.alice, dave):
        message = post(author, "Mine")
        assert act(site.alice, action, message).status_code == 403
        assert not hidden(app, message)


@pytest.mark.step(35)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_missing_message_or_reason(app, site, action):
    assert act(site.alice, action, 999).status_code == 404
    assert act(site.alice, action, site.message, "").status_code == 400
    assert act(site.alice, action, site.message, "x" * 201).status_code == 400
    assert not hidden(app, site.message)


# --- the audit log ---------------------------------------------------------


@pytest.mark.step(36)
def test_each_action_is_in_the_audit_log(app, site):
    report(site.bob, site.message)
    act(site.alice, "hide", site.message, "Insults: rule 1.")
    page = Page(site.alice.get("/moderation/").text)
    assert page.form_to(f"/moderation/messages/{site.message}/restore")
    act(site.alice, "restore", site.message, "Misread it.")
    act(site.alice, "dismiss", site.other, "Not rude.")
    users = {r["username"]: r["id"] for r in sql(app, "SELECT * FROM account")}
    entries = [
        (e["action"], e["message_id"], e["reason"], e["account_id"])
        for e in log(app)
    ]
    assert entries == [
        ("hide", site.message, "Insults: rule 1.", users["carol"]),
        ("restore", site.message, "Misread it.", users["carol"]),
        ("dismiss", site.other, "Not rude.", users["carol"]),
    ]
    assert {e["moderator_id"] for e in log(app)} == {users["alice"]}
    assert all(e["created"] for e in log(app))
    text = shown(site.alice, "/moderation/")
    for reason in ("Insults: rule 1.", "Misread it.", "Not rude."):
        assert reason in text


@pytest.mark.step(36)
def test_refused_actions_leave_no_trace(app, site):
    dave = logged_in(app, "dave")
    app.test_cli_runner().invoke(args=["roles", "grant", "dave", "admin"])
    mine, admins = post(site.alice, "Mine"), post(dave, "Mine too")
    for action in ACTIONS:
        act(site.bob, action, site.message)
        act(app.test_client(), action, site.message)
        site.alice.post(f"/moderation/messages/{site.message}/{action}")
        act(site.alice, action, mine)
        act(site.alice, action, admins)
        act(site.alice, action, site.message, "")
    assert log(app) == []


@pytest.mark.step(36)
def test_the_audit_log_is_never_changed(app, site):
    from minitwit.models import db
    from minitwit.moderation import AuditEntry

    act(site.alice, "dismiss", site.message, "Fine.")
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry)).one()
        entry.reason = "Something else."
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalars(db.select(AuditEntry)).one())
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
    assert [e["reason"] for e in log(app)] == ["Fine."]
