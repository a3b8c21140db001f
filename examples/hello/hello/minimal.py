"""The smallest Flask app: one file, one route.

Run it with ``flask --app hello.minimal run``. This is where every Flask
tutorial starts; ``hello/__init__.py`` grows it into the app of this example.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    """Answer every visit to ``/`` with a greeting."""
    return "Hello, World!"
