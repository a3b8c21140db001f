"""HTTP methods: GET shows the form, POST answers it."""

import pytest
from conftest import shows

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(6)


def test_get_shows_the_form(client):
    """The page says the browser sent GET, and has a form to post."""
    response = client.get("/methods")
    assert response.status_code == 200
    assert shows(response, "GET")
    page = response.get_data(as_text=True)
    assert 'name="name"' in page
    assert 'name="csrf_token"' in page


def test_post_greets(client):
    """Posted, the page greets the name (spaces trimmed) and says POST."""
    response = submit_form(client, "/methods", {"name": "  Ada  "})
    assert response.status_code == 200
    assert shows(response, "Hello, Ada", "POST")


def test_post_escapes_the_name(client):
    """The name is shown as text, never obeyed as HTML."""
    response = submit_form(client, "/methods", {"name": "<i>Ada</i>"})
    assert "<i>Ada</i>" not in response.get_data(as_text=True)
    assert shows(response, "Hello, <i>Ada</i>")


def test_post_without_a_name(client):
    """A blank name: 400, and the field is marked as wrong."""
    response = submit_form(client, "/methods", {"name": "   "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_post_without_the_field(client):
    response = submit_form(client, "/methods", {})
    assert response.status_code == 400


def test_post_without_csrf_token(client):
    response = client.post("/methods", data={"name": "Ada"})
    assert response.status_code == 400
    assert not shows(response, "Hello, Ada")


def test_other_methods_are_not_allowed(client):
    response = client.delete("/methods")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
    }
