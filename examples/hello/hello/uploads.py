"""File uploads: a size limit, safe file names, allowed types, no silent overwrites.

Files are saved in the folder ``UPLOAD_FOLDER`` names (by default ``uploads/``
in the instance folder, outside the package) and sent back only as downloads.
"""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from showcase.pagination import paginate

bp = Blueprint("uploads", __name__)

#: Types people may upload. Never .html or .svg: a browser would run their scripts.
ALLOWED_EXTENSIONS = {"txt", "pdf", "png", "jpg", "jpeg", "gif"}
#: How many file names one page of the list shows.
PER_PAGE = 20


def format_size(size: int) -> str:
    """Write a number of bytes the way people read it: ``1 MiB``, ``512 KiB``, ``10 bytes``."""
    for unit, unit_size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= unit_size:
            return f"{size / unit_size:g} {unit}"
    return f"{size} bytes"


def allowed_file(filename: str) -> bool:
    """Tell whether ``filename`` ends with an extension we accept."""
    return (
        "." in filename
        and filename.rsplit(".", 1)[1].lower() in ALLOWED_EXTENSIONS
    )


def is_empty(file: FileStorage) -> bool:
    """Tell whether the uploaded file has no content at all."""
    first_byte = file.stream.read(1)
    file.stream.seek(0)
    return not first_byte


def save_without_overwriting(
    file: FileStorage, folder: str, filename: str
) -> str:
    """Save ``file`` in ``folder`` as ``filename``, or ``name-2.txt``... if that is taken.

    Opening with mode ``"xb"`` fails if the file exists, even if another request
    creates it at the same moment, so no upload ever replaces another.
    Returns the name the file was saved under.
    """
    stem, extension = os.path.splitext(filename)
    candidate, number = filename, 1
    while True:
        try:
            with open(os.path.join(folder, candidate), "xb") as target:
                file.save(target)
        except FileExistsError:
            number += 1
            candidate = f"{stem}-{number}{extension}"
        else:
            return candidate


def uploaded_files() -> list[str]:
    """List the names of the uploaded files, in alphabetical order."""
    with os.scandir(current_app.config["UPLOAD_FOLDER"]) as entries:
        return sorted(entry.name for entry in entries if entry.is_file())


def upload_page(status: int = 200) -> tuple[str, int]:
    """Render the upload form and one page of the uploaded files."""
    names = uploaded_files()
    page = paginate(
        len(names),
        PER_PAGE,
        lambda limit, offset: names[offset : offset + limit],
    )
    return render_template(
        "uploads.html",
        page=page,
        allowed=sorted(ALLOWED_EXTENSIONS),
        limit=format_size(current_app.config["MAX_CONTENT_LENGTH"]),
    ), status


@bp.get("/uploads")
def index() -> tuple[str, int]:
    """Show the upload form and the files uploaded so far."""
    return upload_page()


@bp.post("/uploads")
def upload() -> Response | tuple[str, int]:
    """Check and save the uploaded file, then go back to the list.

    A missing, empty or disallowed file gets a flashed message and status 400.
    """
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("Choose a file to upload.", "error")
        return upload_page(400)
    # "../../etc/passwd" becomes "etc_passwd": no folder names, no surprises.
    filename = secure_filename(file.filename)
    if not allowed_file(filename):
        allowed = ", ".join(f".{ext}" for ext in sorted(ALLOWED_EXTENSIONS))
        flash(
            f"Files of that type are not allowed. Choose one of: {allowed}.",
            "error",
        )
        return upload_page(400)
    if is_empty(file):
        flash(
            "That file is empty: choose a file with something in it.", "error"
        )
        return upload_page(400)
    saved_as = save_without_overwriting(
        file, current_app.config["UPLOAD_FOLDER"], filename
    )
    flash(f"Uploaded {saved_as}.", "success")
    return redirect(url_for("uploads.index"))


@bp.get("/uploads/<name>")
def download(name: str) -> Response:
    """Send an uploaded file back as a download, never as a page of this site.

    ``send_from_directory`` refuses names that leave the folder (404).
    """
    return send_from_directory(
        current_app.config["UPLOAD_FOLDER"], name, as_attachment=True
    )
