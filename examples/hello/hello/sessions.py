"""The session: a visit counter Flask keeps in a signed cookie."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

bp = Blueprint("sessions", __name__)


@bp.get("/session")
def visits() -> str:
    """Count your visits to this page, in the session."""
    session["visits"] = session.get("visits", 0) + 1
    return render_template("session.html", visits=session["visits"])


@bp.post("/session/reset")
def reset() -> Response:
    """Forget the count: remove it from the session, then show the page again."""
    session.pop("visits", None)
    return redirect(url_for("sessions.visits"))
