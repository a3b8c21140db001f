"""Errors of the API as problem details (RFC 9457), never an HTML page.

A program that calls ``/api/v1/`` reads every error the same way: a JSON
object of type ``application/problem+json`` with ``type``, ``title``,
``status`` and ``detail``; a 422 adds ``errors``, each wrong field with its
messages. The HTML pages keep the showcase's error page.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import Flask, Response, jsonify, request
from flask_smorest import Api
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import Conflict, HTTPException, ServiceUnavailable

from minitwit.database import tables_missing
from minitwit.models import db
from showcase.errors import render_error_page

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(Schema):
    """What went wrong, for a program to read (RFC 9457)."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Not Found"})
    status = fields.Integer(metadata={"example": 404})
    detail = fields.String(metadata={"example": "No user 'bob'."})
    errors = fields.Dict(
        metadata={"description": "Each wrong field's messages, by where it "
                  "was sent (json, query), on a 422."}
    )  # fmt: skip


class ProblemDocs(BasePlugin):
    """An apispec plugin: the document gives errors the problem type."""

    def response_helper(self, response: dict, **kwargs: Any) -> dict | None:
        """Serve an error response's schema as problem details."""
        content = response.get("content", {})
        if "application/json" not in content:
            return None
        return {"content": {PROBLEM_JSON: content["application/json"]}}


class ProblemApi(Api):
    """flask-smorest's ``Api``, its errors documented as problem details."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask, spec_kwargs: dict[str, Any]) -> None:
        plugins = {"extra_plugins": [ProblemDocs()]}
        super().__init__(app, spec_kwargs={**spec_kwargs, **plugins})


def problem(error: HTTPException) -> Response:
    """``error`` as problem details, keeping headers such as ``Allow``."""
    body: dict[str, Any] = {
        "type": "about:blank",  # nothing more to say than the status
        "title": error.name,
        "status": error.code,
        "detail": error.description,
    }
    data = getattr(error, "data", {})  # webargs: the fields that are wrong
    if "messages" in data:
        body["errors"] = data["messages"]
    response = jsonify(body)
    response.status_code = error.code or 500
    response.mimetype = PROBLEM_JSON
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def database_problem(error: DBAPIError) -> Response:
    """A database error as problem details: a 409 when another request
    stored the same row first, a 503 until the tables exist."""
    db.session.rollback()
    if isinstance(error, IntegrityError):
        return problem(Conflict("Another request changed it first. Retry."))
    if not tables_missing(error):
        raise error  # a 500
    return problem(
        ServiceUnavailable(
            "The database is not set up yet: flask --app minitwit db upgrade"
        )
    )


def init_app(app: Flask, prefix: str) -> None:
    """Answer the errors of URLs under ``prefix`` with problem details."""

    def problem_or_page(error: HTTPException) -> Response:
        """Problem details under ``prefix``, else the error page."""
        if request.path.startswith(prefix):
            return problem(error)
        return render_error_page(error)

    # One handler for every HTTP error, the app's last: it replaces the
    # showcase's page and flask-smorest's JSON, which would be for all URLs.
    app.register_error_handler(HTTPException, problem_or_page)
