"""Exercise 3: delete your account, with everything that was yours."""

from conftest import PASSWORD, AuthActions, sql
from html_page import Page

from showcase.testing import submit_form

#: The form that deletes the logged-in user's account.
URL = "/settings/delete"


def delete_account(client, password=PASSWORD):
    """Fill in the form with the password and press its button."""
    return submit_form(client, URL, {"current_password": password})


def share(client, text):
    """Share a message through the form on the home page."""
    response = submit_form(
        client, "/add_message", {"text": text}, form_url="/"
    )
    assert 300 <= response.status_code < 400  # a redirect


def sign_up(app, name):
    """A new browser, signed up and confirmed as ``name``."""
    browser = app.test_client()
    AuthActions(browser).signup(name)
    return browser


def test_visitors_are_sent_to_log_in(client):
    """Only a logged-in user can delete an account: their own."""
    response = client.get(URL)
    assert response.location.startswith("/login")


def test_the_form_asks_for_the_password(client, auth):
    """The page asks for the current password, with a CSRF token."""
    auth.signup()
    fields = Page(client.get(URL).text).fields()
    assert {"current_password", "csrf_token"} <= fields


def test_delete_the_account(app, client, auth):
    """The account is gone, and this browser is logged out."""
    auth.signup()
    response = delete_account(client)
    assert response.location == "/public"
    assert client.get("/alice").status_code == 404
    assert client.get("/").location == "/public"  # logged out


def test_messages_and_follows_go_too(app, client, auth):
    """Alice's messages, and her follows both ways, are deleted with her."""
    auth.signup()
    share(client, "alice was here")
    bob = sign_up(app, "bob")
    share(bob, "bob was here")
    submit_form(bob, "/alice/follow", form_url="/alice")
    submit_form(client, "/bob/follow", form_url="/bob")
    delete_account(client)
    public = client.get("/public").get_data(as_text=True)
    assert "alice was here" not in public
    assert "bob was here" in public
    home = bob.get("/")
    assert home.status_code == 200
    assert "alice was here" not in home.get_data(as_text=True)
    assert sql(app, "SELECT who_id, whom_id FROM follower") == []


def test_other_sessions_end(app, client, auth):
    """A remember-me browser elsewhere is logged out too."""
    auth.signup()
    laptop = app.test_client()
    AuthActions(laptop).login(remember=True)
    assert laptop.get("/").status_code == 200
    delete_account(client)
    assert laptop.get("/").location == "/public"  # logged out


def test_the_name_can_be_taken_again(app, client, auth):
    """Once deleted, the username and address are free for a new account."""
    auth.signup()
    delete_account(client)
    response = auth.register("alice")
    assert response.location == "/login"
    assert client.get("/alice").status_code == 200


def test_wrong_password_deletes_nothing(app, client, auth):
    """Without the right password: 400, and the account stays."""
    auth.signup()
    response = delete_account(client, "not-the-password")
    assert response.status_code == 400
    assert client.get("/alice").status_code == 200
    assert client.get("/").status_code == 200  # still logged in


def test_without_csrf_token_deletes_nothing(client, auth):
    """A form sent from another site (no CSRF token) is refused."""
    auth.signup()
    data = {"current_password": PASSWORD}
    assert client.post(URL, data=data).status_code == 400
    assert client.get("/alice").status_code == 200


def test_others_keep_their_accounts(app, client, auth):
    """Deleting alice leaves bob's account and messages alone."""
    auth.signup()
    bob = sign_up(app, "bob")
    share(bob, "bob was here")
    delete_account(client)
    assert client.get("/bob").status_code == 200
    assert "bob was here" in bob.get("/").get_data(as_text=True)


def test_wrong_passwords_are_limited_as_on_the_password_page(
    app, client, auth
):
    """Guessing the password through this form counts with the logins and
    the password page (``LOGIN_LIMIT``): past it, 429, and nothing goes."""
    auth.signup()
    app.config["LOGIN_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert delete_account(client, "not-the-password").status_code == 400
    assert delete_account(client).status_code == 429
    assert client.get("/alice").status_code == 200
