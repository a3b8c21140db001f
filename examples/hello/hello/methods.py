"""HTTP methods: one URL, a form for GET and an answer for POST."""

from flask import render_template, request

from hello import app


@app.route("/methods", methods=["GET", "POST"])
def greet_form() -> str | tuple[str, int]:
    """GET shows a form asking your name; POST (the form sent) greets you."""
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name:
            error = "Please type your name."
            return render_template("methods.html", error=error), 400
        return render_template("methods.html", name=name)
    return render_template("methods.html")
