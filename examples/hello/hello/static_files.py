"""Static files: the stylesheet and picture in hello/static/."""

from flask import render_template

from hello import app


@app.route("/static-files")
def static_files() -> str:
    """Show a picture from the static folder, and where it comes from."""
    return render_template("static_files.html")
