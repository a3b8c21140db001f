"""Message flashing: a message saved for the next page, then shown once."""

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hello import app


@app.get("/flashing")
def flashing() -> str:
    """Show a form to leave your name."""
    return render_template("flashing.html")


@app.post("/flashing")
def leave_name() -> Response:
    """Thank you (or ask for a name) in a flashed message, then go back.

    Redirecting after a POST means a reload does not send the form again.
    """
    name = request.form.get("name", "").strip()
    if name:
        flash(f"Thank you, {name}: your name was received.", "success")
    else:
        flash("Please type your name before sending.", "error")
    return redirect(url_for("flashing"))
