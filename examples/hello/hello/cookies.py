"""Cookies: remember a favourite colour in the browser, then check it."""

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hello import app

#: The colours on offer: the cookie's value, and the name people read.
COLOURS = {"red": "Red", "green": "Green", "blue": "Blue", "purple": "Purple"}
COOKIE_NAME = "colour"
#: How long the browser keeps the cookie: thirty days, in seconds.
COOKIE_MAX_AGE = 30 * 24 * 60 * 60


def remembered_colour() -> str | None:
    """Return the colour in the cookie, or None if it is not one we offer.

    Anyone can edit their cookies, so a value we did not offer is ignored.
    """
    colour = request.cookies.get(COOKIE_NAME)
    return colour if colour in COLOURS else None


def cookie_path() -> str:
    """The URL path the cookie is sent back to: this lesson's pages only."""
    return url_for("cookies")


@app.get("/cookies")
def cookies() -> str:
    """Show the remembered colour, and a form to choose another."""
    return render_template(
        "cookies.html", colours=COLOURS, colour=remembered_colour()
    )


@app.post("/cookies")
def remember_colour() -> Response | tuple[str, int]:
    """Store the chosen colour in a cookie, then show the page again."""
    colour = request.form.get("colour", "")
    if colour not in COLOURS:
        page = render_template(
            "cookies.html",
            colours=COLOURS,
            colour=remembered_colour(),
            error="Choose one of the colours in the list.",
        )
        return page, 400
    response = redirect(url_for("cookies"))
    response.set_cookie(
        COOKIE_NAME,
        colour,
        max_age=COOKIE_MAX_AGE,
        path=cookie_path(),
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


@app.post("/cookies/forget")
def forget_colour() -> Response:
    """Ask the browser to delete the cookie."""
    response = redirect(url_for("cookies"))
    response.delete_cookie(
        COOKIE_NAME, path=cookie_path(), httponly=True, samesite="Lax"
    )
    return response
