"""First routes: a plain page, then pages whose URL carries a word or two numbers."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("routes", __name__)


@bp.route("/about")
def about() -> str:
    """Say what this example is: a page with a fixed URL."""
    return render_template("about.html")


@bp.route("/capitalize/<word>")
def capitalize(word: str) -> str:
    """Show the word from the URL with a capital first letter.

    ``word`` comes from the visitor, so it must never be trusted as HTML: the
    template escapes it, and ``/capitalize/<script>`` shows the text ``<script>``.
    """
    return render_template(
        "capitalize.html", word=word, capitalized=word.capitalize()
    )


@bp.route("/add/<int(signed=True):n1>/<int(signed=True):n2>")
def add(n1: int, n2: int) -> str:
    """Add the two whole numbers in the URL; negative ones too, anything else is a 404."""
    return render_template("add.html", n1=n1, n2=n2, total=n1 + n2)
