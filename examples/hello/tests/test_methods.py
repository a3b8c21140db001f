"""HTTP methods: GET shows the form, POST answers it."""

import pytest

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(6)


def test_get_shows_the_form(client):
    response = client.get("/methods")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>GET</strong>" in page
    assert '<form class="stacked" method="post"' in page
    assert 'name="csrf_token"' in page


def test_post_greets(client):
    response = submit_form(client, "/methods", {"name": "  Ada  "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hello, Ada!" in page
    assert "<strong>POST</strong>" in page


def test_post_escapes_the_name(client):
    page = submit_form(client, "/methods", {"name": "<i>Ada</i>"}).get_data(
        as_text=True
    )
    assert "Hello, &lt;i&gt;Ada&lt;/i&gt;!" in page


def test_post_without_a_name(client):
    response = submit_form(client, "/methods", {"name": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please type your name." in page
    assert 'aria-invalid="true"' in page


def test_post_without_the_field(client):
    response = submit_form(client, "/methods", {})
    assert response.status_code == 400
    assert "Please type your name." in response.get_data(as_text=True)


def test_post_without_csrf_token(client):
    response = client.post("/methods", data={"name": "Ada"})
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.get_data(as_text=True)


def test_other_methods_are_not_allowed(client):
    response = client.delete("/methods")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
    }
