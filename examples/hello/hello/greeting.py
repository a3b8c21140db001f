"""Templates: a page that extends ``base.html`` and uses ``if``, ``for`` and variables."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("greeting", __name__)

#: Names the greeting page links to, to show a ``{% for %}`` loop.
FRIENDS = ["Ada", "Grace", "Guido", "Bobby <Tables>"]


@bp.route("/greet/")
@bp.route("/greet/<name>")
def greet(name: str | None = None) -> str:
    """Greet ``name`` (or the world) with the ``greet.html`` template."""
    return render_template("greet.html", name=name, friends=FRIENDS)
