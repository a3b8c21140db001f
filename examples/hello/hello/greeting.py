"""Templates: a page that extends base.html, with if, for and variables."""

from flask import render_template

from hello import app

#: Names the greeting page links to, to show a ``{% for %}`` loop.
FRIENDS = ["Ada", "Grace", "Guido", "Bobby <Tables>"]


@app.route("/greet/")
@app.route("/greet/<name>")
def greet(name: str | None = None) -> str:
    """Greet ``name`` (or the world) with the ``greet.html`` template."""
    return render_template("greet.html", name=name, friends=FRIENDS)
