"""The request object: query string and form data."""

import pytest

from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(9)


def test_query_string(client):
    page = client.get("/request?q=hello").get_data(as_text=True)
    assert "<code>/request?q=hello</code>" in page
    assert "query string's <code>q</code> is <code>hello</code>" in page


def test_no_query_string(client):
    page = client.get("/request").get_data(as_text=True)
    assert "It has no <code>q</code> in its query string." in page
    assert "The form's" not in page


def test_query_string_is_escaped(client):
    page = client.get("/request", query_string={"q": "<script>"}).get_data(
        as_text=True
    )
    assert "<script>" not in page
    assert "<code>&lt;script&gt;</code>" in page


def test_form_data(client):
    response = submit_form(client, "/request", {"message": "Hi <there>"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>POST</strong>" in page
    assert "The form's <code>message</code> was: Hi &lt;there&gt;" in page


def test_empty_message_is_still_form_data(client):
    page = submit_form(client, "/request", {"message": ""}).get_data(
        as_text=True
    )
    assert "The form's <code>message</code> was: </p>" in page


def test_missing_form_field_is_a_bad_request(client):
    """request.form["message"] without that field: 400, not a 500."""
    response = submit_form(client, "/request", {})
    assert response.status_code == 400
    assert "400 Bad Request" in response.get_data(as_text=True)
