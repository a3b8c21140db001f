"""The pictures people upload for themselves: checked, redrawn, stored.

Pillow reads an upload as one of four formats and draws it afresh: 256 x
256 pixels, WebP, no metadata. It is kept under a random name in
``AVATAR_FOLDER``, outside the package; ``avatars.py`` draws the others.
A picture of too many pixels is refused before any pixel is decoded.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from minitwit.forms import PICTURE_TOO_BIG, AvatarForm
from minitwit.models import db
from showcase.errors import render_error_page

bp = Blueprint("pictures", __name__)

#: What every avatar becomes, whatever was uploaded.
SIZE = (256, 256)
#: The most pixels an upload may have: 25 million take 100 MB decoded.
MAX_PIXELS = 25_000_000
TOO_MANY_PIXELS = "That picture has too many pixels: at most 25 million."
#: The formats Pillow may read: none that runs a program (EPS) or is rare.
FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
#: Markup a browser could run, hidden in a file that is also a picture.
MARKUP = re.compile(rb"<(script|html|body|svg|iframe|\?php)\b", re.IGNORECASE)


class NotAPicture(Exception):
    """An upload refused; its message says why, on the form."""


def redraw(upload: FileStorage) -> bytes:
    """``upload`` redrawn as a new WebP file, or ``NotAPicture`` why not."""
    data = upload.read()
    if not data:
        raise NotAPicture("That file is empty.")
    if MARKUP.search(data):
        raise NotAPicture("That file holds markup (HTML, script) too.")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            # The size comes from the header: no pixel is decoded yet.
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(TOO_MANY_PIXELS)
            image.verify()  # the structure, checksums included
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            upright = ImageOps.exif_transpose(image).convert("RGBA")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAPicture(TOO_MANY_PIXELS) from None
    except Exception as error:  # a broken file: Pillow raises many kinds
        raise NotAPicture("That file is not a picture we can read.") from error
    out = io.BytesIO()
    # A new image: none of the upload's metadata (EXIF, GPS...) comes along.
    ImageOps.pad(upright, SIZE, color=(0, 0, 0, 0)).save(out, "WEBP")
    return out.getvalue()


def store(picture: bytes) -> str:
    """Save ``picture`` under a new random name in ``AVATAR_FOLDER``."""
    folder = current_app.config["AVATAR_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    name = f"{secrets.token_urlsafe(16)}.webp"
    with open(os.path.join(folder, name), "xb") as file:
        file.write(picture)
    return name


def delete(name: str | None) -> None:
    """Delete the stored picture ``name``, if there is one."""
    if name:
        folder = current_app.config["AVATAR_FOLDER"]
        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
            os.remove(os.path.join(folder, name))


@bp.route("/settings/avatar", methods=["GET", "POST"])
@login_required
def change_avatar():
    """Upload your picture; the one it replaces is deleted."""
    form = AvatarForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("avatar.html", form=form), status
    try:
        picture = redraw(form.picture.data)
    except NotAPicture as error:
        form.picture.errors.append(str(error))
        return render_template("avatar.html", form=form), 400
    old, current_user.avatar_name = current_user.avatar_name, store(picture)
    db.session.commit()
    delete(old)
    flash("Your new picture is on your messages.", "success")
    return redirect(url_for("pictures.change_avatar"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """Show the form again: the request was over ``MAX_CONTENT_LENGTH``."""
    if not current_user.is_authenticated:
        return render_error_page(error)
    form = AvatarForm(formdata=None)  # the request's data cannot be read
    form.picture.errors = [PICTURE_TOO_BIG]
    return render_template("avatar.html", form=form), 413


@bp.post("/settings/avatar/remove")
@login_required
def remove_avatar():
    """Go back to the drawn picture; delete the uploaded one."""
    old, current_user.avatar_name = current_user.avatar_name, None
    db.session.commit()
    delete(old)
    flash("Your messages show the drawn picture again.", "success")
    return redirect(url_for("pictures.change_avatar"))


@bp.get("/avatars/<name>")
def uploaded(name: str):
    """Send a stored picture; its name changes with it, so keep it a year."""
    response = send_from_directory(
        current_app.config["AVATAR_FOLDER"],
        name,
        mimetype="image/webp",
        max_age=365 * 24 * 3600,
    )
    response.cache_control.immutable = True
    return response
