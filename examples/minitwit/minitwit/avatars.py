"""Avatars next to each message: drawn by the app itself, or from gravatar.com.

The old minitwit loaded every avatar from gravatar.com, telling that site who
reads which page, and putting an MD5 of each user's address in the page (easy
to match against a list of known addresses). Here the default, ``AVATARS =
"local"``, draws a small symmetric pattern (an *identicon*) as SVG at
``/avatar/<digest>.svg``, where the digest is an HMAC of the address keyed with
the app's secret: the same person always gets the same picture, and the page
reveals nothing about the address.

``AVATARS = "gravatar"`` uses gravatar.com instead (people who set a picture
there see it) and widens the Content-Security-Policy to allow its images.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import Flask, Response, abort, current_app, url_for

GRAVATAR_HOST = "https://www.gravatar.com"
DIGEST_PATTERN = re.compile(r"[0-9a-f]{32}")


def avatar_url(email: str, size: int = 48) -> str:
    """The address of the picture for the account with ``email``."""
    address = email.strip().lower().encode()
    if current_app.config["AVATARS"] == "gravatar":
        digest = hashlib.sha256(address).hexdigest()
        return f"{GRAVATAR_HOST}/avatar/{digest}?d=identicon&s={size}"
    key = current_app.secret_key.encode()  # type: ignore[union-attr]
    digest = hmac.new(key, address, hashlib.sha256).hexdigest()[:32]
    return url_for("avatar", digest=digest)


def identicon(digest: str) -> Response:
    """Draw the 5x5 mirrored pattern for ``digest`` as an SVG image."""
    if not DIGEST_PATTERN.fullmatch(digest):
        abort(404)
    bits = int(digest, 16)
    hue = bits % 360
    cells = []
    for row in range(5):
        for col in range(3):  # the left three columns, mirrored to the right
            if bits >> (row * 3 + col + 9) & 1:
                for x in {col, 4 - col}:
                    cells.append(
                        f'<rect x="{x}" y="{row}" width="1" height="1"/>'
                    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6">'
        '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f4f6f8"/>'
        f'<g fill="hsl({hue}, 55%, 40%)">{"".join(cells)}</g></svg>'
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def init_app(app: Flask) -> None:
    """Serve the identicons, offer ``avatar_url`` to templates, fix the CSP."""
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
    app.add_template_global(avatar_url)
