"""URL building: let ``url_for`` write URLs from endpoint names, never by hand."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

bp = Blueprint("urls", __name__)


@bp.route("/url-building")
def url_building() -> str:
    """Show a few calls to ``url_for`` next to the URLs they build."""
    built = [
        ('url_for("index")', url_for("index")),
        ('url_for("routes.about")', url_for("routes.about")),
        (
            'url_for("routes.capitalize", word="flask")',
            url_for("routes.capitalize", word="flask"),
        ),
        (
            'url_for("routes.add", n1=-2, n2=40)',
            url_for("routes.add", n1=-2, n2=40),
        ),
        (
            'url_for("request_data.show", q="cats & dogs")',
            url_for("request_data.show", q="cats & dogs"),
        ),
        (
            'url_for("static", filename="hello.css")',
            url_for("static", filename="hello.css"),
        ),
    ]
    return render_template("url_building.html", built=built)
