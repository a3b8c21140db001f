"""Exercise 2: change your password; your other sessions end."""

from html_page import Page

from showcase.testing import submit_form

#: The form of ``auth.change_password``.
URL = "/auth/password"


def change(client, old="test-password", new="a-new-password"):
    """Fill in and send the form to change the password."""
    data = {"old_password": old, "new_password": new}
    return submit_form(client, URL, data)


def can_log_in(app, password, username="test"):
    """Whether ``username`` logs in with ``password``, in a new browser."""
    browser = app.test_client()
    submit_form(
        browser,
        "/auth/login",
        {"username": username, "password": password},
    )
    return browser.get("/create").status_code == 200


def test_visitors_are_sent_to_log_in(client):
    """Only a logged-in user can change a password."""
    response = client.get(URL)
    assert response.headers["Location"] == f"/auth/login?next={URL}"


def test_the_form_asks_for_both_passwords(client, auth):
    """The page has the two password fields and a CSRF token."""
    auth.login()
    page = Page(client.get(URL).get_data(as_text=True))
    form = page.form_with("old_password")
    assert {"new_password", "csrf_token"} <= form.keys()


def test_change_password(app, client, auth):
    """The new password works and the old one no longer does."""
    auth.login()
    response = change(client)
    assert response.headers["Location"] == "/"
    assert can_log_in(app, "a-new-password")
    assert not can_log_in(app, "test-password")


def test_this_browser_stays_logged_in(client, auth):
    """The browser that changed the password is still logged in."""
    auth.login()
    change(client)
    assert client.get("/create").status_code == 200


def test_other_sessions_end(app, client, auth):
    """A session opened elsewhere before the change stops working."""
    auth.login()
    laptop = app.test_client()
    submit_form(
        laptop,
        "/auth/login",
        {"username": "test", "password": "test-password"},
    )
    assert laptop.get("/create").status_code == 200
    change(client)
    assert laptop.get("/create").headers["Location"].startswith("/auth/login")


def test_a_copied_cookie_stops_working(app, client, auth):
    """A copy of the session cookie taken before the change is refused."""
    auth.login()
    stolen = client.get_cookie("session").value
    change(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/create").headers["Location"].startswith("/auth/login")


def test_wrong_old_password_changes_nothing(app, client, auth):
    """Without the right old password, the password stays as it was."""
    auth.login()
    response = change(client, old="not-the-password")
    assert response.status_code == 400
    assert "Incorrect password." in response.get_data(as_text=True)
    assert can_log_in(app, "test-password")
    assert client.get("/create").status_code == 200


def test_guessing_the_old_password_is_throttled(app, client, auth):
    """Whoever holds a session cannot guess the password without end: after
    LOGIN_LIMIT wrong ones, even the right one gets 429 for a while."""
    app.config["LOGIN_LIMIT"] = "2 per hour"  # 50 by default
    auth.login()
    for _ in range(2):
        assert change(client, old="a-guess").status_code == 400
    assert change(client).status_code == 429
    assert can_log_in(app, "test-password")


def test_new_password_is_checked_as_at_registration(app, client, auth):
    """A new password that is too short is refused, as at registration."""
    auth.login()
    response = change(client, new="short")
    assert response.status_code == 400
    assert "at least 8 characters" in response.get_data(as_text=True)
    assert can_log_in(app, "test-password")


def test_without_csrf_token_changes_nothing(app, client, auth):
    """A form sent from another site (no CSRF token) is refused."""
    auth.login()
    data = {"old_password": "test-password", "new_password": "a-new-password"}
    assert client.post(URL, data=data).status_code == 400
    assert can_log_in(app, "test-password")


def test_other_users_are_not_changed(app, client, auth):
    """Changing your password leaves other users' passwords alone."""
    auth.login()
    change(client)
    assert can_log_in(app, "other-password", username="other")


def test_nav_links_to_the_form(client, auth):
    """A logged-in user finds the form from the navigation bar."""
    auth.login()
    page = Page(client.get("/").get_data(as_text=True))
    assert URL in page.hrefs()
