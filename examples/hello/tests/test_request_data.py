"""The request object: query string and form data."""

import pytest
from conftest import shows

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(9)


def test_query_string(client):
    """The page shows the path asked for and the query string's q."""
    response = client.get("/request?q=xylophone")
    assert response.status_code == 200
    assert shows(response, "/request?q=xylophone")
    assert shows(response, "xylophone")


def test_no_query_string(client):
    """Without q, the page has no q to show, and no form data."""
    response = client.get("/request")
    assert response.status_code == 200
    assert not shows(response, "xylophone")


def test_query_string_is_escaped(client):
    response = client.get("/request", query_string={"q": "<script>"})
    assert "<script>" not in response.get_data(as_text=True)
    assert shows(response, "<script>")


def test_form_data(client):
    """Posted, the page shows the form's message (as text) and says POST."""
    response = submit_form(client, "/request", {"message": "Hi <there>"})
    assert response.status_code == 200
    assert "<there>" not in response.get_data(as_text=True)
    assert shows(response, "POST", "Hi <there>")


def test_empty_message_is_still_form_data(client):
    """An empty message is posted form data too: 200, not an error."""
    response = submit_form(client, "/request", {"message": ""})
    assert response.status_code == 200
    assert shows(response, "POST")


def test_missing_form_field_is_a_bad_request(client):
    """request.form["message"] without that field: 400, not a 500."""
    response = submit_form(client, "/request", {})
    assert response.status_code == 400
