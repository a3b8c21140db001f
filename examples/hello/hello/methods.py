"""HTTP methods: one URL, a form for GET and an answer for POST."""

from __future__ import annotations

from flask import Blueprint, render_template, request

bp = Blueprint("methods", __name__)


@bp.route("/methods", methods=["GET", "POST"])
def greet_form() -> str | tuple[str, int]:
    """GET shows a form asking your name; POST (the form sent back) greets you."""
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name:
            return render_template(
                "methods.html", error="Please type your name."
            ), 400
        return render_template("methods.html", name=name)
    return render_template("methods.html")
