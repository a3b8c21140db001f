"""A page with a deliberate bug, for the lesson on Flask's debugger."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("debugger", __name__)

#: The examples of the showcase, numbered from 0.
EXAMPLES = ["hello", "flaskr", "minitwit"]


@bp.route("/debugger")
def broken() -> str:
    """Show the fourth example... of three: this line raises IndexError, on purpose.

    With ``flask run --debug`` you get the interactive debugger; without it,
    the visitor gets the "Something went wrong" page and never a traceback.
    """
    return render_template("debugger.html", example=EXAMPLES[3])
