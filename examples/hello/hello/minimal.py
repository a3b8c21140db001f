"""The smallest Flask app: one file, one route. Run it with ``flask --app hello.minimal run``.

This is where every Flask tutorial starts. The rest of this example grows it into
an application factory (``hello.create_app``) with a page for each lesson.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    """Answer every visit to ``/`` with a greeting."""
    return "Hello, World!"
