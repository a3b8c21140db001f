"""The mailed links: confirm an address, reset and change a password."""

from __future__ import annotations

import time

import pytest
from conftest import LINK_BASE, PASSWORD, flashed, mail_link, sql
from html_page import Page
from itsdangerous import TimestampSigner
from sent_mail import recorded_mail

import minitwit.models
from minitwit.auth import signer
from showcase.testing import submit_form

pytestmark = pytest.mark.step(10)

NEW_PASSWORD = "brand-new-password"
#: What another tab's password change writes: a new hash, a new token.
OTHER_TAB_CHANGE = (
    "UPDATE account SET pw_hash = 'changed-by-the-other-tab',"
    " session_token = 'the-other-tab-s-token'"
)


def user_row(app, username="alice"):
    """alice's row, read straight from the database."""
    (row,) = sql(
        app, "SELECT * FROM account WHERE username = :name", name=username
    )
    return row


@pytest.fixture
def issued_days_ago(monkeypatch):
    """Make the tokens signed inside the ``with`` block look ``days`` old."""

    class Clock:
        def __call__(self, days):
            real = TimestampSigner.get_timestamp
            monkeypatch.setattr(
                TimestampSigner,
                "get_timestamp",
                lambda signer: real(signer) - days * 86400,
            )
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            monkeypatch.undo()

    return Clock()


def tamper(link: str) -> str:
    """Change one character of the token's signature, as a forger would."""
    char = link[-3]  # the last ones may carry unused base64 bits
    return link[:-3] + ("A" if char != "A" else "B") + link[-2:]


def has_button_to(page: Page, url: str) -> bool:
    """Whether ``page`` has a form that posts to ``url`` (or to itself)."""
    return any(
        form["form"].get("method", "").lower() == "post"
        and form["form"].get("action", "") in ("", url)
        for form in page.forms
    )


# --- confirming the address --------------------------------------------------


def test_confirm_link_shows_a_button_and_get_changes_nothing(
    app, client, auth
):
    auth.register("alice")
    response = client.get(auth.confirm_link)
    assert response.status_code == 200
    assert has_button_to(Page(response.text), auth.confirm_link)
    assert user_row(app)["confirmed_at"] is None


def test_confirm_with_the_button(app, client, auth):
    auth.register("alice")
    response = auth.confirm()
    assert response.location == "/"
    confirmed = ("success", "Thank you, your address is confirmed.")
    assert confirmed in flashed(client)
    assert user_row(app)["confirmed_at"] is not None


def test_confirm_works_when_logged_out(app, client, auth):
    auth.register("alice")
    auth.logout()
    auth.confirm()
    assert user_row(app)["confirmed_at"] is not None


def test_confirm_link_reused(app, client, auth):
    auth.register("alice")
    auth.confirm()
    first = user_row(app)["confirmed_at"]
    assert client.get(auth.confirm_link).status_code == 200
    # A second POST (two tabs) changes nothing either.
    page = client.get("/public")
    from showcase.testing import csrf_token

    response = client.post(
        auth.confirm_link, data={"csrf_token": csrf_token(page)}
    )
    assert response.location == "/"
    assert flashed(client) == [
        ("message", "Your address was already confirmed.")
    ]
    assert user_row(app)["confirmed_at"] == first


@pytest.mark.step(11)
def test_confirm_link_expired(app, client, auth, issued_days_ago):
    with issued_days_ago(3):
        auth.register("alice")
    assert client.get(auth.confirm_link).status_code == 400
    assert (
        submit_form(client, auth.confirm_link, form_url="/").status_code == 400
    )
    assert user_row(app)["confirmed_at"] is None


def test_confirm_link_still_works_within_its_lifetime(
    app, client, auth, issued_days_ago
):
    with issued_days_ago(1):
        auth.register("alice")
    auth.confirm()
    assert user_row(app)["confirmed_at"] is not None


def test_confirm_link_tampered(app, client, auth):
    auth.register("alice")
    assert client.get(tamper(auth.confirm_link)).status_code == 400
    assert client.get("/confirm/not-a-token").status_code == 400
    assert user_row(app)["confirmed_at"] is None


@pytest.mark.finished
def test_each_link_page_says_what_happened(client, auth):
    """The finished app's words: a used confirmation link, and a broken
    link of each kind with what to do next."""
    auth.register("alice")
    auth.confirm()
    used = Page(client.get(auth.confirm_link).text).text()
    assert "is already confirmed" in used
    broken = Page(client.get("/confirm/not-a-token").text).text()
    assert "This link does not work" in broken
    assert "get a new confirmation link" in broken
    broken = Page(client.get("/reset/not-a-token").text).text()
    assert "This link does not work" in broken
    assert "Ask for a new password-reset link" in broken


def test_confirm_token_for_another_address_is_refused(app, client, auth):
    auth.register("alice")
    with app.test_request_context():
        data = {"uid": 1, "email": "mallory@example.com"}
        token = signer("confirm").dumps(data)
    assert client.get(f"/confirm/{token}").status_code == 400


def test_confirm_token_for_a_deleted_user_is_refused(app, client, auth):
    auth.register("alice")
    sql(app, "DELETE FROM account")
    assert client.get(auth.confirm_link).status_code == 400


@pytest.mark.step(11)
def test_reset_token_cannot_confirm(app, client, auth):
    """Wrong purpose: each kind of token is signed with its own salt."""
    auth.register("alice")
    with recorded_mail() as outbox:
        submit_form(client, "/reset", {"email": "alice@example.com"})
    reset_link = mail_link(outbox[0])
    token = reset_link.rsplit("/", 1)[1]
    assert client.get(f"/confirm/{token}").status_code == 400
    confirm_token = auth.confirm_link.rsplit("/", 1)[1]
    assert client.get(f"/reset/{confirm_token}").status_code == 400


@pytest.mark.step(12)
def test_home_tells_an_unconfirmed_user_and_offers_a_new_link(client, auth):
    auth.register("alice")
    page = Page(client.get("/").text)
    assert page.form_to("/confirm") is not None  # mail the link again
    assert "text" not in page.fields()  # no message form yet
    auth.confirm()
    page = Page(client.get("/").text)
    assert page.form_to("/confirm") is None
    assert "text" in page.fields()


@pytest.mark.step(12)
def test_resend_confirmation(app, client, auth):
    auth.register("alice")
    first_link = auth.confirm_link
    with recorded_mail() as outbox:
        response = submit_form(client, "/confirm", form_url="/")
    assert response.location == "/"
    ((category, said),) = flashed(client)
    assert category == "success" and "alice@example.com" in said
    (message,) = outbox
    assert message.recipients == ["alice@example.com"]
    link = mail_link(message)
    assert link.startswith("/confirm/")
    submit_form(client, link)
    assert user_row(app)["confirmed_at"] is not None
    assert first_link is not None


@pytest.mark.step(12)
def test_resend_when_already_confirmed_sends_nothing(client, auth):
    auth.signup("alice")
    with recorded_mail() as outbox:
        submit_form(client, "/confirm", form_url="/")
    assert outbox == []
    assert flashed(client) == [
        ("message", "Your address is already confirmed.")
    ]


@pytest.mark.step(12)
def test_resend_needs_login(client):
    response = submit_form(client, "/confirm", form_url="/login")
    assert response.location.startswith("/login?next=")


# --- resetting the password --------------------------------------------------


def request_reset(client, email="alice@example.com"):
    """Ask for a reset link; return the response and the mails sent."""
    with recorded_mail() as outbox:
        response = submit_form(client, "/reset", {"email": email})
    return response, outbox


@pytest.mark.step(11)
def test_reset_answers_the_same_for_known_and_unknown_addresses(client, auth):
    auth.register("alice")
    auth.logout()
    known, known_mail = request_reset(client, "ALICE@Example.com")
    known_flash = flashed(client)
    known_page = Page(client.get(known.location).text)
    unknown, unknown_mail = request_reset(client, "nobody@example.com")
    unknown_flash = flashed(client)
    unknown_page = Page(client.get(unknown.location).text)
    assert known.location == unknown.location == "/login"
    assert [category for category, _ in known_flash] == ["success"]
    assert known_flash == unknown_flash
    # The same page (but for the CSRF token: it is signed with the time).
    assert known_page.texts == unknown_page.texts
    assert known_page.hrefs() == unknown_page.hrefs()
    assert len(known_mail) == 1
    assert known_mail[0].recipients == ["alice@example.com"]
    assert "/reset/" in known_mail[0].body
    # The same work for an unknown address: a mail saying no account uses
    # it (and how to sign up), with no reset link.
    (unknown_mail,) = unknown_mail
    assert unknown_mail.recipients == ["nobody@example.com"]
    assert "/reset/" not in unknown_mail.body
    assert f"{LINK_BASE}/register" in unknown_mail.body


@pytest.mark.step(11)
def test_reset_form_errors(client):
    response = submit_form(client, "/reset", {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in Page(response.text).text()
    response = submit_form(
        client, "/reset", {"email": "a@example.com\r\nBcc: b@example.com"}
    )
    assert response.status_code == 400


@pytest.mark.step(11)
def test_reset_sets_the_password_and_confirms(app, client, auth):
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    assert client.get(link).status_code == 200
    response = submit_form(
        client, link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.location == "/login"
    changed = "Your password has been changed. Log in with the new one."
    assert ("success", changed) in flashed(client)
    assert auth.login("alice", PASSWORD).status_code == 400
    assert auth.login("alice", NEW_PASSWORD).location == "/"
    # Following the link proved the address is theirs.
    assert user_row(app)["confirmed_at"] is not None


@pytest.mark.step(11)
def test_reset_form_validation(client, auth):
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    response = submit_form(
        client, link, {"password": NEW_PASSWORD, "password2": "other-one!"}
    )
    assert response.status_code == 400
    assert "The two passwords do not match." in Page(response.text).text()


@pytest.mark.step(11)
def test_reset_link_works_once(client, auth):
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    submit_form(
        client, link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    response = client.get(link)
    assert response.status_code == 400
    assert "/reset" in Page(response.text).hrefs()  # ask for a new link
    assert auth.login("alice", NEW_PASSWORD).location == "/"


@pytest.mark.step(11)
def test_reset_link_expired(client, auth, issued_days_ago):
    auth.register("alice")
    auth.logout()
    with issued_days_ago(1):
        _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    assert client.get(link).status_code == 400


@pytest.mark.step(11)
def test_reset_link_tampered(client, auth):
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    assert client.get(tamper(mail_link(outbox[0]))).status_code == 400


def move_alice_to(app, email: str) -> None:
    """Give alice a new address, as a change of address would."""
    with app.app_context():
        user = minitwit.models.User.named("alice")
        assert user is not None
        user.email = email
        minitwit.models.db.session.commit()


@pytest.mark.step(11)
def test_reset_link_to_an_old_address_dies_with_it(app, client, auth):
    """Whoever reads alice's old inbox cannot reset her account once it
    has moved to a new address."""
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    move_alice_to(app, "alice@new.example")
    assert client.get(mail_link(outbox[0])).status_code == 400


@pytest.mark.step(11)
def test_reset_link_without_an_address_is_refused(app, client, auth):
    """A link signed before links named their address no longer works."""
    from minitwit.auth import fingerprint  # step 11 writes it

    auth.register("alice")
    auth.logout()
    with app.app_context():
        user = minitwit.models.User.named("alice")
        assert user is not None
        old = {"uid": user.id, "pw": fingerprint(user.pw_hash)}
        token = signer("reset").dumps(old)
    assert client.get(f"/reset/{token}").status_code == 400


@pytest.mark.step(15)
def test_reset_link_issued_before_a_password_change_dies(client, auth):
    auth.signup("alice")
    _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    submit_form(
        client,
        "/settings/password",
        {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert client.get(link).status_code == 400


@pytest.mark.step(15)
def test_reset_link_used_meanwhile_in_another_tab(
    app, client, auth, monkeypatch
):
    auth.register("alice")
    auth.logout()
    _, outbox = request_reset(client)
    link = mail_link(outbox[0])
    page = client.get(link)
    real_hash = minitwit.models.generate_password_hash

    def other_tab_wins(password, method):
        # While this request hashes, another tab's reset commits first.
        sql(app, OTHER_TAB_CHANGE)
        return real_hash(password, method=method)

    monkeypatch.setattr(
        minitwit.models, "generate_password_hash", other_tab_wins
    )
    from showcase.testing import csrf_token

    response = client.post(
        link,
        data={
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 400
    assert "/reset" in Page(response.text).hrefs()  # ask for a new link


@pytest.mark.step(11)
def test_reset_logs_out_other_sessions_and_kills_remember_cookies(app, auth):
    other = app.test_client()  # alice's other computer, with "remember me"
    other_auth = type(auth)(other)
    auth.register("alice")
    auth.logout()
    other_auth.login(remember=True)
    assert other.get("/").status_code == 200
    old_token = user_row(app)["session_token"]

    _, outbox = request_reset(auth.client)
    link = mail_link(outbox[0])
    submit_form(
        auth.client,
        link,
        {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert user_row(app)["session_token"] != old_token
    assert other.get("/").location == "/public"  # the session is dead
    other.delete_cookie("session")
    assert (
        other.get("/").location == "/public"
    )  # and so is the remember-me cookie


@pytest.mark.step(11)
def test_reset_logs_out_the_browser_that_used_the_link(client, auth):
    auth.register("alice")  # logged in, forgot the password anyway
    _, outbox = request_reset(client)
    submit_form(
        client,
        mail_link(outbox[0]),
        {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert client.get("/").location == "/public"


# --- changing the password ---------------------------------------------------


def change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    """Fill in the change-password form."""
    return submit_form(
        client,
        "/settings/password",
        {
            "current_password": current,
            "password": new,
            "password2": new if again is None else again,
        },
    )


@pytest.mark.step(15)
def test_change_password(app, client, auth):
    auth.signup("alice")
    assert client.get("/settings/password").status_code == 200
    response = change(client)
    assert response.location == "/"
    changed = (
        "Your password has been changed. Your other sessions were logged out."
    )
    assert ("success", changed) in flashed(client)
    assert client.get("/").status_code == 200  # this browser stays logged in
    auth.logout()
    assert auth.login("alice", PASSWORD).status_code == 400
    assert auth.login("alice", NEW_PASSWORD).location == "/"


@pytest.mark.step(15)
def test_change_password_needs_the_current_one(client, auth):
    auth.signup("alice")
    response = change(client, current="not-my-password")
    assert response.status_code == 400
    assert "That is not your current password." in Page(response.text).text()
    response = change(client, again="something-else")
    assert response.status_code == 400
    assert "The two passwords do not match." in Page(response.text).text()


@pytest.mark.step(15)
def test_change_password_logs_out_other_sessions(app, client, auth):
    auth.signup("alice")
    other = app.test_client()
    type(auth)(other).login(remember=True)
    change(client)
    assert other.get("/").location == "/public"
    other.delete_cookie("session")
    assert other.get("/").location == "/public"
    assert client.get("/").status_code == 200


@pytest.mark.step(15)
def test_change_password_race_with_another_change(
    app, client, auth, monkeypatch
):
    auth.signup("alice")
    real_hash = minitwit.models.generate_password_hash

    def other_tab_wins(password, method):
        sql(app, OTHER_TAB_CHANGE)
        return real_hash(password, method=method)

    page = client.get("/settings/password")
    monkeypatch.setattr(
        minitwit.models, "generate_password_hash", other_tab_wins
    )
    from showcase.testing import csrf_token

    response = client.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 400
    shown = Page(response.text).text()
    assert "Your password was changed meanwhile." in shown
    assert user_row(app)["pw_hash"] == "changed-by-the-other-tab"


@pytest.mark.step(15)
def test_change_password_needs_login(client):
    response = client.get("/settings/password")
    assert response.location == "/login?next=%2Fsettings%2Fpassword"


def test_token_clock_helper_really_ages_tokens(app, issued_days_ago):
    """The fixture the expiry tests need: tokens made inside it are older."""
    signer = TimestampSigner("key")
    with issued_days_ago(2):
        aged = signer.get_timestamp()
    assert abs(int(time.time()) - 2 * 86400 - aged) <= 1
