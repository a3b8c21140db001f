"""File uploads: a form sends a file, the app saves it and sends it back.

The defences that are not the lesson (a folder per visitor, files that
expire, quotas, names that never overwrite a file, the content check, the
413 page) are in ``hello/upload_folder.py`` and ``hello/file_types.py``.
"""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from hello import app, upload_folder

#: Types people may upload. Never .html or .svg: a browser would run their
#: scripts.
ALLOWED_EXTENSIONS = {"txt", "pdf", "png", "jpg", "jpeg", "gif"}


def allowed_file(filename: str) -> bool:
    """Tell whether ``filename`` ends with an extension we accept."""
    return (
        "." in filename
        and filename.rsplit(".", 1)[1].lower() in ALLOWED_EXTENSIONS
    )


@app.get("/uploads")
def uploads() -> str:
    """Show the upload form and the files this visitor uploaded."""
    return render_template(
        "uploads.html",
        files=upload_folder.files(),
        allowed=sorted(ALLOWED_EXTENSIONS),
    )


@app.post("/uploads")
def upload() -> Response:
    """Save the uploaded file, then go back to the list of files.

    A file we do not take gets the error page, saying why (400).
    """
    file = request.files.get("file")
    if file is None or not file.filename:
        abort(400, "Choose a file to upload.")
    # "../../etc/passwd" becomes "etc_passwd": no folder names, no surprises.
    filename = secure_filename(file.filename)
    if not allowed_file(filename):
        allowed = ", ".join(f".{ext}" for ext in sorted(ALLOWED_EXTENSIONS))
        abort(
            400,
            f"Files of that type are not allowed. Choose one of: {allowed}.",
        )
    saved_as = upload_folder.save(file, filename)
    flash(f"Uploaded {saved_as}.", "success")
    return redirect(url_for("uploads"))


@app.get("/uploads/<name>")
def download(name: str) -> Response:
    """Send one of this visitor's files back as a download, never as a page.

    ``send_from_directory`` refuses names that leave the visitor's folder,
    and files that are not there, or no longer (404).
    """
    upload_folder.delete_expired()
    folder = upload_folder.path()
    return send_from_directory(folder, name, as_attachment=True)
