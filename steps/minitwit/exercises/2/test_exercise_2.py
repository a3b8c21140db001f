"""Exercise 2: change the email address, through a link mailed to it."""

import pytest
from conftest import PASSWORD, AuthActions, mail_link, sql
from html_page import Page
from sent_mail import recorded_mail

from showcase.testing import submit_form

#: The form that asks for the change.
URL = "/settings/email"


def address_of(app, username="alice"):
    """The address the account has now, and whether it is confirmed."""
    (row,) = sql(
        app,
        "SELECT email, confirmed_at FROM account WHERE username = :name",
        name=username,
    )
    return row["email"], row["confirmed_at"] is not None


def ask(client, email="alice@new.example", password=PASSWORD):
    """Fill in the form; return the answer and the mails it sent."""
    data = {"email": email, "current_password": password}
    with recorded_mail() as outbox:
        response = submit_form(client, URL, data)
    return response, outbox


def link_for(client, email="alice@new.example"):
    """Ask for the change to ``email``; return the path of the mailed link."""
    response, outbox = ask(client, email)
    assert 300 <= response.status_code < 400  # a redirect
    (message,) = outbox
    return mail_link(message)


def test_visitors_are_sent_to_log_in(client):
    """Only a logged-in user can change an address."""
    response = client.get(URL)
    assert response.location.startswith("/login")


def test_the_form_asks_for_the_address_and_the_password(client, auth):
    """The form has the new address, the current password and a token."""
    auth.signup()
    fields = Page(client.get(URL).text).fields()
    assert {"email", "current_password", "csrf_token"} <= fields


def test_the_link_goes_to_the_new_address_only(app, client, auth):
    """One mail, to the new address, and no change before the link."""
    auth.signup()
    response, outbox = ask(client)
    assert 300 <= response.status_code < 400  # a redirect
    assert [message.recipients for message in outbox] == [
        ["alice@new.example"]
    ]
    assert address_of(app) == ("alice@example.com", True)


def test_using_the_link_changes_the_address(app, client, auth):
    """Opening the link shows a button; pressing it changes the address."""
    auth.signup()
    link = link_for(client)
    page = client.get(link)
    assert page.status_code == 200
    assert "csrf_token" in Page(page.text).fields()
    assert address_of(app)[0] == "alice@example.com"  # not by opening it
    response = submit_form(client, link)
    assert 300 <= response.status_code < 400  # a redirect
    assert address_of(app) == ("alice@new.example", True)


def test_the_link_works_in_a_browser_that_is_logged_out(app, client, auth):
    """The link proves the address is yours: no login needed to use it."""
    auth.signup()
    link = link_for(client)
    phone = app.test_client()
    assert 300 <= submit_form(phone, link).status_code < 400  # a redirect
    assert address_of(app)[0] == "alice@new.example"


def test_the_link_works_once(app, client, auth):
    """A used link is refused (400) and changes nothing more."""
    auth.signup()
    first = link_for(client, "alice@one.example")
    second = link_for(client, "alice@two.example")
    submit_form(client, first)
    assert client.get(second).status_code == 400
    assert client.get(first).status_code == 400
    assert address_of(app)[0] == "alice@one.example"


def test_wrong_password_sends_nothing(app, client, auth):
    """Without the right password: 400, no mail, no change."""
    auth.signup()
    response, outbox = ask(client, "alice@new.example", "not-the-password")
    assert response.status_code == 400
    assert outbox == []


@pytest.mark.parametrize("email", ["", "not an address", "a@b@example.com"])
def test_invalid_address_sends_nothing(client, auth, email):
    """An address that is not one: 400 and no mail."""
    auth.signup()
    response, outbox = ask(client, email)
    assert response.status_code == 400
    assert outbox == []


def test_a_tampered_link_is_refused(app, client, auth):
    """Change one character of the token and the link stops working."""
    auth.signup()
    path, token = link_for(client).rsplit("/", 1)
    tampered = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(f"{path}/{tampered}").status_code == 400
    assert address_of(app)[0] == "alice@example.com"


def test_an_old_link_is_refused(app, client, auth):
    """Past ``EMAIL_TOKEN_MAX_AGE`` seconds, the link no longer works."""
    auth.signup()
    link = link_for(client)
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    assert client.get(link).status_code == 400
    assert address_of(app)[0] == "alice@example.com"


def test_a_confirmation_token_is_not_an_email_token(app, client, auth):
    """Each purpose signs with its own salt: tokens do not cross over."""
    auth.register()
    confirm_token = auth.confirm_link.rsplit("/", 1)[1]
    assert client.get(f"{URL}/{confirm_token}").status_code == 400
    email_token = link_for(client).rsplit("/", 1)[1]
    assert client.get(f"/confirm/{email_token}").status_code == 400


def test_an_address_taken_meanwhile_is_not_shared(app, client, auth):
    """If another account has the address when the link is used: 400."""
    auth.signup()
    link = link_for(client, "bob@example.com")
    AuthActions(app.test_client()).signup("bob")
    assert submit_form(client, link).status_code == 400
    assert address_of(app)[0] == "alice@example.com"
    assert address_of(app, "bob")[0] == "bob@example.com"


def change_password(client):
    """Change alice's password from ``client``'s settings page."""
    data = {
        "current_password": PASSWORD,
        "password": "a-new-password",
        "password2": "a-new-password",
    }
    response = submit_form(client, "/settings/password", data)
    assert 300 <= response.status_code < 400  # a redirect


def test_a_link_dies_with_a_password_change(app, client, auth):
    """Someone who once knew alice's password asks to move her account to
    their address; alice changes her password: their link is refused."""
    auth.signup()
    thief = AuthActions(app.test_client())
    thief.login()
    link = link_for(thief.client, "thief@evil.example")
    change_password(client)
    assert app.test_client().get(link).status_code == 400
    assert address_of(app)[0] == "alice@example.com"


def test_a_link_dies_when_alice_logs_out(app, client, auth):
    """Logging out logs out every browser, and cancels pending links."""
    auth.signup()
    link = link_for(client)
    auth.logout()
    assert app.test_client().get(link).status_code == 400
    assert address_of(app)[0] == "alice@example.com"


def test_a_reset_link_to_the_old_address_dies_with_it(app, client, auth):
    """A reset link mailed to alice's old address no longer works once her
    account has moved to the new one."""
    auth.signup()
    with recorded_mail() as outbox:
        data = {"email": "alice@example.com"}
        submit_form(app.test_client(), "/reset", data)
    (reset,) = outbox
    submit_form(client, link_for(client))
    assert address_of(app)[0] == "alice@new.example"
    assert app.test_client().get(mail_link(reset)).status_code == 400


def test_wrong_passwords_are_limited_as_on_the_password_page(
    app, client, auth
):
    """Guessing the password through this form counts with the logins and
    the password page (``LOGIN_LIMIT``): past it, 429."""
    auth.signup()
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for _ in range(2):
        response, _ = ask(client, "alice@new.example", "not-the-password")
        assert response.status_code == 400
    response, outbox = ask(client)
    assert response.status_code == 429
    assert outbox == []


def test_the_new_address_is_the_one_a_reset_finds(app, client, auth):
    """After the change, a reset asked for the new address (in any case)
    reaches it; the old address gets no reset link (only the mail that
    says no account uses it)."""
    auth.signup()
    submit_form(client, link_for(client))
    links = {}
    for email in ("alice@example.com", "Alice@NEW.example"):
        with recorded_mail() as outbox:
            submit_form(app.test_client(), "/reset", {"email": email})
        (mail,) = outbox
        links[mail.recipients[0]] = "/reset/" in mail.body
    assert links == {"alice@example.com": False, "alice@new.example": True}
