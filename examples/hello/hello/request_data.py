"""The request object: what the browser sent, in the URL and in a form."""

from flask import render_template, request

from hello import app


@app.route("/request", methods=["GET", "POST"])
def request_data() -> str:
    """Echo the query string's ``q`` and, after a POST, the form's message."""
    query = request.args.get("q", "")
    message = None
    if request.method == "POST":
        # request.form["message"] with no such field ends the request with
        # "400 Bad Request": .get("message") would give None instead.
        message = request.form["message"]
    return render_template("request.html", query=query, message=message)
