"""Redirects and errors: send the browser elsewhere, or stop with abort."""

from flask import abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

from hello import app

#: A few notes, numbered, standing in for rows of a database table.
NOTES = {
    1: "A route maps a URL to a view function.",
    2: "url_for builds a URL from a view's endpoint name.",
    3: "abort stops a request with an HTTP error.",
}


@app.route("/redirects")
def redirects() -> str:
    """List the notes and the links that redirect or fail."""
    return render_template("redirects.html", notes=NOTES)


@app.route("/old-about")
def old_about() -> Response:
    """An address that moved: send the browser to the about page (301)."""
    return redirect(url_for("about"), code=301)


@app.route("/notes/<int:note_id>")
def note(note_id: int) -> str:
    """Show one note, or the 404 page if there is no such note."""
    if note_id not in NOTES:
        abort(404, description=f"There is no note number {note_id}.")
    return render_template("note.html", note_id=note_id, text=NOTES[note_id])


@app.route("/staff-only")
def staff_only() -> str:
    """A page nobody may see: abort(403) shows the shared error page."""
    abort(403, description="This page is for staff only.")
