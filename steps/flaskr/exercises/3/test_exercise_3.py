"""Exercise 3: likes, one per user per post, with a count on the index."""

import re

import pytest
from html_page import Page

from showcase.testing import submit_form


def shown(browser):
    """The text a page shows, in any markup."""
    return Page(browser.get("/").get_data(as_text=True)).text()


def buttons(browser):
    """Where the page's forms send: the Like and Unlike buttons' URLs."""
    page = Page(browser.get("/").get_data(as_text=True))
    return {form["form"].get("action") for form in page.forms}


def likes_on_index(client):
    """The count of likes the index shows for the one test post."""
    match = re.search(r"\b(\d+) likes?\b", shown(client))
    assert match, "the index shows no count of likes"
    return int(match[1])


def like(client, post=1, action="like"):
    """Press the Like (or Unlike) button of a post, CSRF token included."""
    return submit_form(client, f"/{post}/{action}", form_url="/")


def test_visitors_see_the_count_without_a_button(client):
    """A visitor sees "0 likes" and no button to press."""
    assert re.search(r"\b0 likes\b", shown(client))
    assert "/1/like" not in buttons(client)


def test_visitors_cannot_like(client):
    """Liking needs a login: a visitor is sent to the login page."""
    response = submit_form(client, "/1/like", form_url="/auth/login")
    assert response.headers["Location"].startswith("/auth/login")
    assert likes_on_index(client) == 0


def test_like_a_post(client, auth):
    """A user likes a post: the count says "1 like" and it can be undone."""
    auth.login()
    assert "/1/like" in buttons(client)
    response = like(client)
    assert response.headers["Location"] == "/"
    assert re.search(r"\b1 like\b", shown(client))
    assert "/1/unlike" in buttons(client)
    assert "/1/like" not in buttons(client)


def test_a_second_like_counts_once(client, auth):
    """Liking a post twice still counts one like."""
    auth.login()
    like(client)
    like(client)
    assert likes_on_index(client) == 1


def test_likes_of_two_users_add_up(app, client, auth):
    """Each user has a like of their own: two users, "2 likes"."""
    auth.login()
    like(client)
    other = app.test_client()
    submit_form(
        other,
        "/auth/login",
        {"username": "other", "password": "other-password"},
    )
    # Other has not liked it yet: they get the Like button.
    assert "/1/like" in buttons(other)
    like(other)
    assert re.search(r"\b2 likes\b", shown(client))


def test_unlike(app, client, auth):
    """Unlike takes back your own like, and nobody else's."""
    auth.login("other", "other-password")
    like(client)
    auth.logout()
    auth.login()
    like(client)
    like(client, action="unlike")
    assert likes_on_index(client) == 1
    assert "/1/like" in buttons(client)
    # Taking back a like you never gave changes nothing.
    like(client, action="unlike")
    assert likes_on_index(client) == 1


@pytest.mark.parametrize("action", ["like", "unlike"])
@pytest.mark.parametrize("post", [2, 99999999999999999999])
def test_missing_post_is_404(client, auth, action, post):
    """A post that does not exist cannot be liked: 404."""
    auth.login()
    assert like(client, post, action).status_code == 404


def test_like_without_csrf_token_changes_nothing(client, auth):
    """A form sent from another site (no CSRF token) is refused."""
    auth.login()
    assert client.post("/1/like").status_code == 400
    assert likes_on_index(client) == 0


def test_like_is_post_only(client, auth):
    """A link or an image (GET) cannot like a post."""
    auth.login()
    assert client.get("/1/like").status_code == 405
    assert likes_on_index(client) == 0


def test_a_liked_post_can_be_deleted(app, client, auth):
    """Deleting a post deletes its likes too."""
    other = app.test_client()
    submit_form(
        other,
        "/auth/login",
        {"username": "other", "password": "other-password"},
    )
    like(other)
    auth.login()
    response = submit_form(client, "/1/delete", form_url="/1/update")
    assert response.headers["Location"] == "/"
    assert "No posts yet." in shown(client)
