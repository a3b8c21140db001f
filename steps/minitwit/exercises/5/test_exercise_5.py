"""Exercise 5: one message of the API, at ``/api/v1/messages/<id>``."""

import re

import pytest

from showcase.testing import submit_form

#: The URL of one message; ``{}`` is its id.
URL = "/api/v1/messages/{}"
#: The type of the API's errors: problem details (RFC 9457).
PROBLEM = "application/problem+json"


def share(client, text):
    """Share a message through the form on the home page."""
    response = submit_form(
        client, "/add_message", {"text": text}, form_url="/"
    )
    assert 300 <= response.status_code < 400  # a redirect


def public_timeline(client):
    """The messages of the API's public timeline, newest first."""
    response = client.get("/api/v1/messages")
    assert response.status_code == 200
    return response.json["messages"]


def test_each_message_by_its_id(app, client, auth):
    """Anyone, without a token, gets a message by its id: its id, text,
    author and date, as the timelines give them."""
    auth.signup()
    share(client, "first")
    share(client, "second")
    messages = public_timeline(client)
    assert {message["text"] for message in messages} == {"first", "second"}
    anyone = app.test_client()
    for message in messages:
        response = anyone.get(URL.format(message["id"]))
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.json == message
        assert response.json["author"] == "alice"


@pytest.mark.parametrize("missing", ["next", "zero", "huge", "letters"])
def test_no_such_message_is_a_404_problem(client, auth, missing):
    """An id that no message has is a 404, as problem details: also 0, an
    id too big for the database, and one that is not a number."""
    auth.signup()
    share(client, "the only one")
    (message,) = public_timeline(client)
    ids = {
        "next": message["id"] + 1,
        "zero": 0,
        "huge": 10**20,
        "letters": "abc",
    }
    response = client.get(URL.format(ids[missing]))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.json["status"] == 404


def test_a_hidden_message_is_a_404(app, client, auth):
    """A message a moderator hid is gone from the API too: a 404, as for a
    message that does not exist."""
    auth.signup()
    share(client, "soon hidden")
    (message,) = public_timeline(client)
    with app.app_context():
        from minitwit.models import Message, db

        db.session.get(Message, message["id"]).hidden = "moderator"
        db.session.commit()
    response = client.get(URL.format(message["id"]))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_the_document_describes_it(client):
    """The OpenAPI document has the URL, its GET answering a 200 (the
    message) or a 404."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    one = [
        path for path in paths if re.fullmatch(r"/api/v1/messages/{\w+}", path)
    ]
    assert len(one) == 1, sorted(paths)
    responses = paths[one[0]]["get"]["responses"]
    assert {"200", "404"} <= set(responses)
