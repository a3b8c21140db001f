"""The session: a visit counter Flask keeps in a signed cookie."""

from flask import redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from hello import app


@app.get("/session")
def visits() -> str:
    """Count your visits to this page, in the session."""
    session["visits"] = session.get("visits", 0) + 1
    return render_template("session.html", visits=session["visits"])


@app.post("/session/reset")
def reset_visits() -> Response:
    """Forget the count, then show the page again."""
    session.pop("visits", None)
    return redirect(url_for("visits"))
