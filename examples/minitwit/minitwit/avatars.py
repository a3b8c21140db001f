"""The pictures next to each message, drawn by the app itself.

The old minitwit loaded every avatar from gravatar.com, telling that site who
reads which page. Here each user gets a small symmetric pattern (an
*identicon*), drawn as SVG at ``/avatar/<digest>.svg``; the digest is an HMAC
of the address keyed with the app's secret (``User.avatar``), so the page
reveals nothing about the address. ``AVATARS = "gravatar"`` uses
gravatar.com instead and lets its pictures through the
Content-Security-Policy.
"""

from __future__ import annotations

import re

from flask import Flask, Response, abort

GRAVATAR_HOST = "https://www.gravatar.com"
DIGEST = re.compile(r"[0-9a-f]{32}")


def identicon(digest: str) -> Response:
    """Draw the 5x5 mirrored pattern of ``digest`` as an SVG image."""
    if not DIGEST.fullmatch(digest):
        abort(404)
    bits = int(digest, 16)
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
    """Serve the identicons; with gravatar, let its pictures through."""
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
    app.add_url_rule("/avatar/<digest>.svg", "avatar", identicon)
