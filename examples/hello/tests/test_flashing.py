"""Message flashing: shown once on the next page."""

import pytest
from conftest import redirects_to, shows

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(13)


def test_form(client):
    """The page has a form with a name field, and no message yet."""
    response = client.get("/flashing")
    assert response.status_code == 200
    assert 'name="name"' in response.get_data(as_text=True)


def test_thanks_is_flashed_then_gone(client, flashes):
    """The name is thanked on the next page (a success), then never again."""
    response = submit_form(client, "/flashing", {"name": "Ada"})
    assert redirects_to(response, "/flashing")
    [(category, message)] = flashes
    assert category == "success"
    assert "Ada" in message
    assert shows(client.get("/flashing"), message)
    assert not shows(client.get("/flashing"), message)


def test_empty_name_flashes_an_error(client, flashes):
    """A blank name flashes an error, shown on the next page."""
    response = submit_form(
        client, "/flashing", {"name": "  "}, follow_redirects=True
    )
    [(category, message)] = flashes
    assert category == "error"
    assert shows(response, message)


def test_flashed_name_is_escaped(client):
    """The name in the message is shown as text, never obeyed as HTML."""
    response = submit_form(
        client, "/flashing", {"name": "<b>Ada</b>"}, follow_redirects=True
    )
    assert "<b>Ada</b>" not in response.get_data(as_text=True)
    assert shows(response, "<b>Ada</b>")


def test_post_without_csrf_token(client, flashes):
    response = client.post("/flashing", data={"name": "Ada"})
    assert response.status_code == 400
    assert flashes == []
