"""Message flashing: shown once on the next page."""

import pytest

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(13)


def test_form(client):
    page = client.get("/flashing").get_data(as_text=True)
    assert '<label for="name">Your name</label>' in page
    assert 'class="flash' not in page


def test_thanks_is_flashed_then_gone(client):
    response = submit_form(client, "/flashing", {"name": "Ada"})
    assert response.location == "/flashing"
    page = client.get("/flashing").get_data(as_text=True)
    assert (
        'class="flash flash-success" role="status">'
        "Thank you, Ada: your name was received." in page
    )
    assert "Thank you" not in client.get("/flashing").get_data(as_text=True)


def test_empty_name_flashes_an_error(client):
    response = submit_form(
        client, "/flashing", {"name": "  "}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert (
        'class="flash flash-error" role="alert">'
        "Please type your name before sending." in page
    )


def test_flashed_name_is_escaped(client):
    response = submit_form(
        client, "/flashing", {"name": "<b>Ada</b>"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Thank you, &lt;b&gt;Ada&lt;/b&gt;" in page


def test_post_without_csrf_token(client):
    response = client.post("/flashing", data={"name": "Ada"})
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.get_data(as_text=True)
