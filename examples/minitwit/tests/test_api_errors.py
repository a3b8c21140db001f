"""Every error of the JSON API is problem details, whatever was wrong.

A program reads the same kind of answer for a wrong method, a body it
should not have sent, a token that is no good, a race it lost or a
database that is not set up: ``application/problem+json`` with the status.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from sqlalchemy.exc import OperationalError
from test_api import assert_problem

pytestmark = pytest.mark.step(26)

PROBLEM = "application/problem+json"


def test_missing_tables_are_a_503_problem_that_names_the_command(make_app):
    empty_app = make_app()  # no tables at all
    response = empty_app.test_client().get("/api/v1/messages")
    problem = assert_problem(response, 503)
    assert "db upgrade" in problem["detail"]


def test_other_database_errors_are_not_hidden(app):
    from minitwit.problems import database_problem

    error = OperationalError("SELECT 1", {}, Exception("disk I/O error"))
    request = app.test_request_context("/api/v1/messages")
    with request, pytest.raises(OperationalError):
        database_problem(error)


def test_a_database_error_is_a_500_problem(make_app, monkeypatch):
    from minitwit import api

    def broken(*args):
        raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))

    app = make_app(PROPAGATE_EXCEPTIONS=False)
    monkeypatch.setattr(api, "page_of", broken)
    response = app.test_client().get("/api/v1/messages")
    problem = assert_problem(response, 500)
    assert "disk" not in problem["detail"]


# --- the sweep: every URL of the API, sent everything wrong ------------------

#: Bodies a program might send by mistake: (headers, data).
BODIES = {
    "none": ({}, None),
    "text": ({"Content-Type": "text/plain"}, b"hello"),
    "broken JSON": ({"Content-Type": "application/json"}, b'{"text": '),
    "wrong JSON": ({"Content-Type": "application/json"}, b'[1, {"a": 2}]'),
    "huge": ({"Content-Type": "application/json"}, b" " * (1024 * 1024 + 1)),
}
#: Credentials: none, made up, wrong, and right ones.
CREDENTIALS = {
    "none": None,
    "made-up token": "Bearer bm90IGEgdG9rZW4",
    "empty token": "Bearer ",
    "wrong password": "Basic Zm9vOndyb25nLXBhc3N3b3Jk",  # foo:wrong-password
    "garbage": "Basic %%%",
    "unknown scheme": "Negotiate abc",
    "right password": "Basic Zm9vOmNvcnJlY3QtaG9yc2U=",  # foo:correct-horse
    "live token": "Bearer {live}",  # a new token of foo's each time
}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def api_urls(app):
    """A URL of each rule under ``/api/``, for a user who exists and one who
    does not (or, where the rule takes a number, two ids)."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for name, number in (("foo", 1), ("nobody", 999)):
            try:
                urls.add(build(rule, name))
            except ValueError:  # the rule takes a number: <int:...>
                urls.add(build(rule, number))
    return sorted(urls)


def build(rule, value) -> str:
    """The path of ``rule`` with ``value`` for each of its arguments."""
    values = dict.fromkeys(rule.arguments, value)
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.step(27)
def test_the_sweep_reaches_every_kind_of_api_url(app):
    urls = api_urls(app)
    assert "/api/v1/messages" in urls
    assert "/api/v1/users/foo/messages" in urls
    assert "/api/v1/docs/foo" in urls  # Swagger UI's files


def live_token(app) -> str:
    """A new token of foo's, straight from the model."""
    from minitwit.models import User, db
    from minitwit.tokens import Token

    with app.app_context():
        secret, _ = Token.issue(db.session.get_one(User, 1))
        db.session.commit()
    return secret


@pytest.mark.step(30)
@pytest.mark.parametrize("body", BODIES)
def test_every_api_error_is_problem_details(app, auth, body):
    auth.signup("foo")  # user 1, confirmed, password PASSWORD
    assert PASSWORD == "correct-horse"
    headers, data = BODIES[body]
    client = app.test_client()
    statuses = set()
    for url in api_urls(app):
        for method in METHODS:
            for credential in CREDENTIALS.values():
                sent = dict(headers)
                if credential:
                    live = live_token(app) if "{live}" in credential else ""
                    sent["Authorization"] = credential.format(live=live)
                response = client.open(
                    url, method=method, headers=sent, data=data
                )
                statuses.add(response.status_code)
                if response.status_code < 400:
                    continue
                where = f"{method} {url} {credential}"
                assert response.status_code < 500, where
                assert response.mimetype == PROBLEM, where
                assert response.json["status"] == response.status_code, where
    assert {401, 404, 405} <= statuses
    expected = {
        "none": {201, 204, 403, 415},
        "text": {415},
        "broken JSON": {400},
        "wrong JSON": {422},
        "huge": {413},
    }
    assert expected[body] <= statuses


@pytest.mark.step(28)
def test_a_row_stored_first_by_another_request_is_a_409_problem(
    app, auth, monkeypatch
):
    """Two tokens drawn alike (never, from 32 random bytes, but it shows
    any race the database settles): the second is a 409, not a 500."""
    from minitwit import tokens

    auth.signup("alice")
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: "same")
    api = app.test_client()
    assert (
        api.post("/api/v1/tokens", auth=("alice", PASSWORD)).status_code == 201
    )
    response = api.post("/api/v1/tokens", auth=("alice", PASSWORD))
    assert_problem(response, 409)
