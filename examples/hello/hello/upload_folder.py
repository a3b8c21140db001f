"""The upload folder: where uploaded files are saved and listed, safely.

``hello/uploads.py`` is the lesson; it saves and lists files through this
module, which makes sure that:

- no upload ever replaces another, even two sent at the same moment;
- a name too long for the file system is cut, keeping its extension;
- an empty file is refused (400);
- the folder never holds more than ``UPLOAD_MAX_FILES`` files and
  ``UPLOAD_MAX_BYTES`` bytes in all (413);
- a request over ``MAX_CONTENT_LENGTH`` is told the limit (413).
"""

import os

from flask import abort, current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from hello import app
from showcase.errors import render_error_page

#: Most file systems refuse a file name longer than 255 bytes.
MAX_NAME_BYTES = 255


def path() -> str:
    """Return the upload folder, made first if it does not exist."""
    folder: str = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def files() -> list[str]:
    """List the names of the uploaded files, in alphabetical order."""
    with os.scandir(path()) as entries:
        return sorted(entry.name for entry in entries if entry.is_file())


def save(file: FileStorage, filename: str) -> str:
    """Save ``file`` as ``filename``, or ``name-2.txt``... if it is taken.

    Refuses an empty file (400) and one the folder has no room for (413).
    Returns the name the file was saved under.
    """
    size = file.stream.seek(0, os.SEEK_END)
    file.stream.seek(0)
    if size == 0:
        abort(400, "That file is empty: choose a file with something in it.")
    check_room(size)
    folder = path()
    stem, extension = os.path.splitext(filename)
    name, number = fitted(stem, extension), 1
    while True:
        try:
            # "x" creates the file, or fails if it exists: two uploads at
            # the same moment can never write to one file.
            with open(os.path.join(folder, name), "xb") as target:
                file.save(target)
            return name
        except FileExistsError:
            number += 1
            name = fitted(stem, f"-{number}{extension}")


def fitted(stem: str, ending: str) -> str:
    """Join ``stem`` and ``ending``, the stem cut to fit in 255 bytes.

    The limit counts bytes, not characters: "é" takes two bytes in UTF-8.
    """
    room = MAX_NAME_BYTES - len(ending.encode())
    return stem.encode()[:room].decode(errors="ignore") + ending


def check_room(size: int) -> None:
    """Refuse (413) a file of ``size`` bytes if the folder has no room."""
    max_files = current_app.config["UPLOAD_MAX_FILES"]
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    with os.scandir(path()) as entries:
        sizes = [entry.stat().st_size for entry in entries if entry.is_file()]
    if len(sizes) >= max_files or sum(sizes) + size > max_bytes:
        abort(
            413,
            f"The upload folder is full: it keeps at most {max_files} files"
            f" and {format_size(max_bytes)} in all.",
        )


@app.template_filter()
def format_size(size: int) -> str:
    """Write a number of bytes as people read it: ``1 MiB``, ``10 bytes``."""
    for unit, unit_size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= unit_size:
            return f"{size / unit_size:g} {unit}"
    return f"{size} bytes"


@app.errorhandler(413)
def too_large(error: RequestEntityTooLarge) -> Response:
    """Say how big an upload may be, on the shared error page (413).

    A request over ``MAX_CONTENT_LENGTH`` is told the limit; any other 413
    (a full folder, one huge text field) keeps its own description.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        error = RequestEntityTooLarge(
            "That was too large: this site accepts uploads of at most "
            f"{format_size(limit)}."
        )
    return render_error_page(error)
