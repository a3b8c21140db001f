"""Hello, Flask: the Flask quickstart as a small app, one lesson per page.

This module is the web application of the first steps: the app, its
settings, the start page, a second page, two dynamic routes and a page with
a bug for the debugger. Each later lesson is a module of its own, imported
at the bottom.
"""

import os

from flask import Flask, abort, render_template
from flask_wtf.csrf import CSRFProtect

import showcase

app = Flask(__name__, instance_relative_config=True)

# The settings: defaults first, then the instance folder, then FLASK_*
# environment variables (FLASK_SECRET_KEY=... sets SECRET_KEY).
app.config.from_mapping(
    # Signs the session cookie. "dev" is public: fine for `flask run`, but
    # showcase.init_app refuses it under a production server.
    SECRET_KEY="dev",  # noqa: S106 (public on purpose)
    # A request bigger than this gets "413 Content Too Large".
    MAX_CONTENT_LENGTH=1024 * 1024,
    # Uploads are kept out of the package, in the instance folder.
    UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
    # The upload folder's cap: how many files, and how many bytes in all.
    UPLOAD_MAX_FILES=50,
    UPLOAD_MAX_BYTES=20 * 1024 * 1024,
    # Each visitor's share of it.
    UPLOAD_MAX_FILES_PER_VISITOR=10,
    UPLOAD_MAX_BYTES_PER_VISITOR=5 * 1024 * 1024,
    # Uploaded files are deleted after this many seconds: a day.
    UPLOAD_MAX_AGE=24 * 60 * 60,
)
app.config.from_pyfile("config.py", silent=True)
app.config.from_prefixed_env()

# Secure defaults, security headers, error pages and the shared look.
showcase.init_app(app)
# Checks a hidden token on every POST: other sites cannot post our forms.
csrf = CSRFProtect(app)


@app.route("/")
def index() -> str:
    """Say hello, and link to every lesson of this example."""
    return render_template("index.html")


@app.route("/about")
def about() -> str:
    """Say what this example is: a page with a fixed URL."""
    return render_template("about.html")


@app.route("/capitalize/<word>")
def capitalize(word: str) -> str:
    """Show the word from the URL with a capital first letter.

    The template escapes ``word``: ``/capitalize/<script>`` shows the text
    ``<script>``, it does not run it.
    """
    return render_template(
        "capitalize.html", word=word, capitalized=word.capitalize()
    )


#: The biggest number /add takes, either side of zero. Python refuses to
#: write out a whole number of more than 4300 digits.
ADD_LIMIT = 10**12


@app.route("/add/<int(signed=True):n1>/<int(signed=True):n2>")
def add(n1: int, n2: int) -> str:
    """Add the two whole numbers in the URL, negative ones too."""
    if abs(n1) > ADD_LIMIT or abs(n2) > ADD_LIMIT:
        abort(404, description=f"/add takes numbers up to {ADD_LIMIT:,}.")
    return render_template("add.html", n1=n1, n2=n2, total=n1 + n2)


#: The examples of the showcase, numbered from 0.
EXAMPLES = ["hello", "flaskr", "minitwit"]


@app.route("/debugger")
def debugger() -> str:
    """Show the fourth example... of three: this line fails, on purpose.

    In debug mode only: elsewhere the page is not there (404).
    """
    if not app.debug:
        abort(404, "A page for the debugger: it exists in debug mode only.")
    return render_template("debugger.html", example=EXAMPLES[3])


# The later lessons add their routes to `app`, so they are imported last,
# once `app` exists.
from hello import (  # noqa: E402, F401
    cookies,
    errors,
    flashing,
    greeting,
    methods,
    redirects,
    request_data,
    sessions,
    static_files,
    uploads,
    urls,
)
