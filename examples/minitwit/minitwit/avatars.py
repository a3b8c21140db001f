"""The picture next to each message, drawn by the app itself.

The old minitwit loaded every avatar from gravatar.com, telling that site
who reads which page, and put an MD5 of each address in the page. Here
``/avatar/<username>.svg`` draws a small symmetric pattern (an
*identicon*) from an HMAC of the name, keyed with the app's secret: each
user keeps their picture, and the page tells nothing about any address.
``AVATARS = "gravatar"`` sends the browser to gravatar.com instead (and
lets its pictures through the Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, Response, abort, current_app, redirect
from flask.typing import ResponseReturnValue

from minitwit.models import User

GRAVATAR_HOST = "https://www.gravatar.com"


def avatar(username: str) -> ResponseReturnValue:
    """Draw ``username``'s 5x5 mirrored pattern as an SVG image."""
    if current_app.config["AVATARS"] == "gravatar":
        user = User.named(username) or abort(404)
        digest = hashlib.sha256(user.email.lower().encode()).hexdigest()
        return redirect(f"{GRAVATAR_HOST}/avatar/{digest}?d=identicon&s=48")
    key = current_app.config["SECRET_KEY"].encode()
    name = username.lower().encode()
    bits = int(hmac.new(key, name, hashlib.sha256).hexdigest()[:32], 16)
    cells = [
        f'<rect x="{x}" y="{row}" width="1" height="1"/>'
        for row in range(5)
        for col in range(3)  # the left three columns, mirrored
        if bits >> (row * 3 + col + 9) & 1
        for x in {col, 4 - col}
    ]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6">'
        '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f4f6f8"/>'
        f'<g fill="hsl({bits % 360}, 55%, 40%)">{"".join(cells)}</g></svg>'
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def init_app(app: Flask) -> None:
    """Serve the avatars; with gravatar, let its pictures through."""
    mode = app.config["AVATARS"]
    if mode not in {"local", "gravatar"}:
        raise ValueError(
            f"AVATARS must be 'local' or 'gravatar', not {mode!r}"
        )
    if mode == "gravatar":
        csp = app.config["CONTENT_SECURITY_POLICY"]
        app.config["CONTENT_SECURITY_POLICY"] = csp.replace(
            "img-src ", f"img-src {GRAVATAR_HOST} "
        )
    app.add_url_rule("/avatar/<username:username>.svg", "avatar", avatar)
