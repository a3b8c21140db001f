"""File uploads: a size limit, safe names, allowed types, a full folder.

Files are saved in the folder ``UPLOAD_FOLDER`` names (by default
``uploads/`` in the instance folder, outside the package) and sent back only
as downloads.
"""

import os

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from hello import app
from showcase.errors import render_error_page

#: Types people may upload. Never .html or .svg: a browser would run their
#: scripts.
ALLOWED_EXTENSIONS = {"txt", "pdf", "png", "jpg", "jpeg", "gif"}
#: Most file systems refuse a file name longer than 255 bytes.
MAX_NAME_BYTES = 255


def format_size(size: int) -> str:
    """Write a number of bytes as people read it: ``1 MiB``, ``10 bytes``."""
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


def upload_folder() -> str:
    """Return the folder uploads go to, made first if it does not exist."""
    folder: str = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def file_size(file: FileStorage) -> int:
    """Count the bytes of the uploaded file, then rewind it."""
    file.stream.seek(0, os.SEEK_END)
    size = file.stream.tell()
    file.stream.seek(0)
    return size


def folder_has_room(size: int) -> bool:
    """Tell whether the upload folder can take one more file of ``size``."""
    config = current_app.config
    max_files: int = config["UPLOAD_MAX_FILES"]
    max_bytes: int = config["UPLOAD_MAX_BYTES"]
    with os.scandir(upload_folder()) as entries:
        sizes = [entry.stat().st_size for entry in entries if entry.is_file()]
    return len(sizes) < max_files and sum(sizes) + size <= max_bytes


def shortened(stem: str, ending: str) -> str:
    """Join ``stem`` and ``ending``, cutting the stem to fit the file system.

    The limit counts bytes, not characters: "é" takes two bytes in UTF-8.
    """
    room = MAX_NAME_BYTES - len(ending.encode())
    return stem.encode()[:room].decode(errors="ignore") + ending


def save_without_overwriting(
    file: FileStorage, folder: str, filename: str
) -> str:
    """Save ``file`` as ``filename``, or ``name-2.txt``... if it is taken.

    Mode ``"xb"`` fails if the file exists, even if another request creates
    it at the same moment, so no upload ever replaces another. Returns the
    name the file was saved under.
    """
    stem, extension = os.path.splitext(filename)
    candidate, number = shortened(stem, extension), 1
    while True:
        try:
            with open(os.path.join(folder, candidate), "xb") as target:
                file.save(target)
        except FileExistsError:
            number += 1
            candidate = shortened(stem, f"-{number}{extension}")
        else:
            return candidate


def uploaded_files() -> list[str]:
    """List the names of the uploaded files, in alphabetical order."""
    with os.scandir(upload_folder()) as entries:
        return sorted(entry.name for entry in entries if entry.is_file())


def upload_page(status: int = 200) -> tuple[str, int]:
    """Render the upload form and the list of uploaded files."""
    config = current_app.config
    return render_template(
        "uploads.html",
        files=uploaded_files(),
        allowed=sorted(ALLOWED_EXTENSIONS),
        limit=format_size(config["MAX_CONTENT_LENGTH"]),
        max_files=config["UPLOAD_MAX_FILES"],
        max_bytes=format_size(config["UPLOAD_MAX_BYTES"]),
    ), status


@app.get("/uploads")
def uploads() -> tuple[str, int]:
    """Show the upload form and the files uploaded so far."""
    return upload_page()


@app.post("/uploads")
def upload() -> Response | tuple[str, int]:
    """Check and save the uploaded file, then go back to the list.

    A missing, empty or disallowed file gets a flashed message and status
    400; a file the full folder cannot take gets 413.
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
    size = file_size(file)
    if size == 0:
        flash(
            "That file is empty: choose a file with something in it.", "error"
        )
        return upload_page(400)
    if not folder_has_room(size):
        flash(
            "The upload folder is full: it keeps at most "
            f"{current_app.config['UPLOAD_MAX_FILES']} files and "
            f"{format_size(current_app.config['UPLOAD_MAX_BYTES'])} in all.",
            "error",
        )
        return upload_page(413)
    saved_as = save_without_overwriting(file, upload_folder(), filename)
    flash(f"Uploaded {saved_as}.", "success")
    return redirect(url_for("uploads"))


@app.get("/uploads/<name>")
def download(name: str) -> Response:
    """Send an uploaded file back as a download, never as a page of ours.

    ``send_from_directory`` refuses names that leave the folder (404).
    """
    return send_from_directory(upload_folder(), name, as_attachment=True)


@app.errorhandler(413)
def too_large(error: RequestEntityTooLarge) -> Response:
    """Say how big an upload may be, on the shared error page (413).

    A request over ``MAX_CONTENT_LENGTH`` is told the limit; anything else
    too large (one huge text field) keeps Werkzeug's own description.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        error = RequestEntityTooLarge(
            "That was too large: this site accepts uploads of at most "
            f"{format_size(limit)}."
        )
    return render_error_page(error)
