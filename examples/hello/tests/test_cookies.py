"""Cookies: remember a colour, read it back, ignore what we did not offer."""

import re

import pytest
from conftest import page_text, redirects_to, words

from showcase.testing import csrf_token, submit_form

#: The colours the form offers: the value posted, and the name shown.
COLOURS = {"red": "Red", "green": "Green", "blue": "Blue", "purple": "Purple"}


def colours_shown(response) -> set[str]:
    """The colours the page names outside its form's list."""
    shown = {word.casefold() for word in words(page_text(response))}
    return {colour for colour in COLOURS if colour in shown}


#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(10)


def test_no_cookie_yet(client):
    """No cookie: the page names no colour, and offers nothing to forget."""
    response = client.get("/cookies")
    assert response.status_code == 200
    assert colours_shown(response) == set()
    assert 'action="/cookies/forget"' not in response.get_data(as_text=True)


@pytest.mark.parametrize("colour", sorted(COLOURS))
def test_remember_a_colour(client, colour):
    """The colour is kept in a cookie for this lesson, then shown."""
    response = submit_form(client, "/cookies", {"colour": colour})
    assert redirects_to(response, "/cookies")
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith(f"colour={colour};")
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie
    assert "Path=/cookies" in set_cookie
    (max_age,) = re.findall(r"Max-Age=(\d+)", set_cookie)
    assert int(max_age) > 0  # kept after the browser closes
    assert "Secure" not in set_cookie

    assert colours_shown(client.get("/cookies")) == {colour}


def test_cookie_is_secure_over_https(client):
    page = client.get("/cookies", base_url="https://localhost")
    response = client.post(
        "/cookies",
        data={"colour": "red", "csrf_token": csrf_token(page)},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/cookies"},
    )
    assert redirects_to(response, "/cookies")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("value", ["orange", "", "<script>", "red; Path=/"])
def test_cookie_with_a_value_we_did_not_offer_is_ignored(client, value):
    client.set_cookie("colour", value, path="/cookies")
    response = client.get("/cookies")
    assert response.status_code == 200
    assert colours_shown(response) == set()
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [{"colour": "orange"}, {"colour": ""}, {}])
def test_choosing_a_colour_we_do_not_offer(client, data):
    response = submit_form(client, "/cookies", data)
    assert response.status_code == 400
    assert (
        "Set-Cookie" not in response.headers
        or "colour=" not in response.headers["Set-Cookie"]
    )
    assert client.get_cookie("colour", path="/cookies") is None


def test_forget(client):
    submit_form(client, "/cookies", {"colour": "blue"})
    assert client.get_cookie("colour", path="/cookies").value == "blue"
    response = submit_form(client, "/cookies/forget", form_url="/cookies")
    assert redirects_to(response, "/cookies")
    assert client.get_cookie("colour", path="/cookies") is None
    assert colours_shown(client.get("/cookies")) == set()


def test_cookie_is_not_sent_to_other_pages(client):
    """The cookie's path keeps it to the cookies lesson."""
    submit_form(client, "/cookies", {"colour": "green"})
    assert client.get_cookie("colour", path="/cookies") is not None
    assert client.get_cookie("colour", path="/") is None


def test_post_without_csrf_token(client):
    response = client.post("/cookies", data={"colour": "red"})
    assert response.status_code == 400
    assert client.get_cookie("colour", path="/cookies") is None
