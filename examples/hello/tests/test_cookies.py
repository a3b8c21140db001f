"""Cookies: remember a colour, read it back, ignore what we did not offer."""

import pytest

from hello.cookies import COLOURS, COOKIE_MAX_AGE
from showcase.testing import csrf_token, submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(10)


def test_no_cookie_yet(client):
    page = client.get("/cookies").get_data(as_text=True)
    assert "no favourite colour cookie" in page
    assert "Forget my colour" not in page


@pytest.mark.parametrize("colour", sorted(COLOURS))
def test_remember_a_colour(client, colour):
    response = submit_form(client, "/cookies", {"colour": colour})
    assert response.location == "/cookies"
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith(f"colour={colour};")
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie
    assert "Path=/cookies" in set_cookie
    assert f"Max-Age={COOKIE_MAX_AGE}" in set_cookie
    assert "Secure" not in set_cookie

    page = client.get("/cookies").get_data(as_text=True)
    assert f"<strong>{COLOURS[colour]}</strong>" in page
    assert f"swatch-{colour}" in page
    assert f'<option value="{colour}" selected>' in page


def test_cookie_is_secure_over_https(client):
    page = client.get("/cookies", base_url="https://localhost")
    response = client.post(
        "/cookies",
        data={"colour": "red", "csrf_token": csrf_token(page)},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/cookies"},
    )
    assert response.location == "/cookies"
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("value", ["orange", "", "<script>", "red; Path=/"])
def test_cookie_with_a_value_we_did_not_offer_is_ignored(client, value):
    client.set_cookie("colour", value, path="/cookies")
    page = client.get("/cookies").get_data(as_text=True)
    assert "no favourite colour cookie" in page
    assert "<script>" not in page


@pytest.mark.parametrize("data", [{"colour": "orange"}, {"colour": ""}, {}])
def test_choosing_a_colour_we_do_not_offer(client, data):
    response = submit_form(client, "/cookies", data)
    assert response.status_code == 400
    assert "Choose one of the colours in the list." in response.get_data(
        as_text=True
    )
    assert (
        "Set-Cookie" not in response.headers
        or "colour=" not in response.headers["Set-Cookie"]
    )
    assert client.get_cookie("colour", path="/cookies") is None


def test_forget(client):
    submit_form(client, "/cookies", {"colour": "blue"})
    assert client.get_cookie("colour", path="/cookies").value == "blue"
    response = submit_form(client, "/cookies/forget", form_url="/cookies")
    assert response.location == "/cookies"
    assert client.get_cookie("colour", path="/cookies") is None
    assert "no favourite colour cookie" in client.get("/cookies").get_data(
        as_text=True
    )


def test_cookie_is_not_sent_to_other_pages(client):
    """The cookie's path keeps it to the cookies lesson."""
    submit_form(client, "/cookies", {"colour": "green"})
    assert client.get_cookie("colour", path="/cookies") is not None
    assert client.get_cookie("colour", path="/") is None


def test_post_without_csrf_token(client):
    response = client.post("/cookies", data={"colour": "red"})
    assert response.status_code == 400
    assert client.get_cookie("colour", path="/cookies") is None
