"""URL building: let url_for write URLs from endpoint names."""

from flask import render_template, url_for

from hello import app


@app.route("/url-building")
def url_building() -> str:
    """Show a few calls to ``url_for`` next to the URLs they build."""
    built = [
        ('url_for("index")', url_for("index")),
        ('url_for("about")', url_for("about")),
        (
            'url_for("capitalize", word="flask")',
            url_for("capitalize", word="flask"),
        ),
        ('url_for("add", n1=-2, n2=40)', url_for("add", n1=-2, n2=40)),
        (
            'url_for("request_data", q="cats & dogs")',
            url_for("request_data", q="cats & dogs"),
        ),
        (
            'url_for("static", filename="hello.css")',
            url_for("static", filename="hello.css"),
        ),
    ]
    return render_template("url_building.html", built=built)
