"""The upload folder: where uploaded files are saved and listed, safely.

``hello/uploads.py`` is the lesson; it saves and lists files through this
module. Each visitor has a folder of their own in it, named by a random id
kept in their session: nobody else lists or downloads their files. This
module also makes sure that:

- a file is what its extension says it is (400, ``hello/file_types.py``);
- no upload ever replaces another, even two sent at the same moment;
- a name too long for the file system is cut, keeping its extension;
- an empty file is refused (400);
- the folder never holds more than ``UPLOAD_MAX_FILES`` files and
  ``UPLOAD_MAX_BYTES`` bytes in all (413);
- a request over ``MAX_CONTENT_LENGTH`` is told the limit (413);
- a visitor keeps at most ``UPLOAD_MAX_FILES_PER_VISITOR`` files and
  ``UPLOAD_MAX_BYTES_PER_VISITOR`` bytes (413);
- a file is deleted ``UPLOAD_MAX_AGE`` seconds (a day) after its upload.
"""

import contextlib
import os
import secrets
import time

from flask import abort, current_app, request, session
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from hello import app, file_types
from showcase.errors import render_error_page


def path() -> str:
    """Return this visitor's folder, named by a random id in their session."""
    uploader = session.setdefault("uploader", secrets.token_hex(16))
    return os.path.join(current_app.config["UPLOAD_FOLDER"], uploader)


def files() -> list[str]:
    """List the names of this visitor's files, in alphabetical order."""
    delete_expired()
    if not os.path.isdir(path()):
        return []
    with os.scandir(path()) as entries:
        return sorted(entry.name for entry in entries if entry.is_file())


def save(file: FileStorage, filename: str) -> str:
    """Save ``file`` as ``filename``, or ``name-2.txt``... if it is taken;
    return the name it was saved under. Refuses a file that is empty or not
    what its name says (400), or that there is no room for (413)."""
    content = file.stream.read()
    if not content:
        abort(400, "That file is empty: choose a file with something in it.")
    stem, extension = os.path.splitext(filename)
    file_types.check(content, extension)
    check_room(len(content))
    name, number = fitted(stem, extension), 1
    while True:
        try:
            # "x" creates the file, or fails if it exists: two uploads at
            # the same moment can never write to one file.
            with open(os.path.join(path(), name), "xb") as target:
                target.write(content)
            return name
        except FileExistsError:
            number += 1
            name = fitted(stem, f"-{number}{extension}")
        except FileNotFoundError:  # no folder yet, or it was just removed
            os.makedirs(path(), exist_ok=True)


def fitted(stem: str, ending: str) -> str:
    """Join ``stem`` and ``ending``, the stem cut to fit in 255 bytes."""
    room = 255 - len(ending.encode())  # most file systems allow no more
    return stem.encode()[:room].decode(errors="ignore") + ending


def check_room(size: int) -> None:
    """Refuse (413) a file of ``size`` bytes that does not fit: in this
    visitor's uploads, or in the whole folder."""
    config = current_app.config
    for sizes, whose, per in [
        (sizes_in(path()), "Your uploads are", "_PER_VISITOR"),
        (sizes_in(config["UPLOAD_FOLDER"]), "The upload folder is", ""),
    ]:
        max_files = config[f"UPLOAD_MAX_FILES{per}"]
        max_bytes = config[f"UPLOAD_MAX_BYTES{per}"]
        if len(sizes) >= max_files or sum(sizes) + size > max_bytes:
            limit = f"{max_files} files and {format_size(max_bytes)}"
            abort(413, f"{whose} full: at most {limit} in all.")


def sizes_in(folder: str) -> list[int]:
    """List the sizes of the files in ``folder`` and its subfolders."""
    sizes = []
    for parent, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                sizes.append(os.path.getsize(os.path.join(parent, name)))
    return sizes


def delete_expired() -> None:
    """Delete the files older than ``UPLOAD_MAX_AGE``, and empty folders."""
    root = current_app.config["UPLOAD_FOLDER"]
    oldest = time.time() - current_app.config["UPLOAD_MAX_AGE"]
    for folder, _, names in os.walk(root, topdown=False):
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                if os.path.getmtime(os.path.join(folder, name)) < oldest:
                    os.remove(os.path.join(folder, name))
        if folder != root:
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(folder)


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
