"""The request object: what the browser sent, in the query string and in a form."""

from __future__ import annotations

from flask import Blueprint, render_template, request

bp = Blueprint("request_data", __name__)


@bp.route("/request", methods=["GET", "POST"])
def show() -> str:
    """Echo the ``q`` of the query string and, after a POST, the form's ``message``."""
    query = request.args.get("q", "")
    message = None
    if request.method == "POST":
        # request.form["message"] with no such field ends the request with
        # "400 Bad Request": .get("message") would give None instead.
        message = request.form["message"]
    return render_template("request.html", query=query, message=message)
