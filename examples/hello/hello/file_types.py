"""File types: is an uploaded file what its extension says it is?

A name is only a name: ``page.html`` renamed ``page.png`` is still a page.
So the first bytes of the file, its "magic bytes", must be those of its
type. A text file has no such mark: it must read as UTF-8, with no NUL.
"""

from flask import abort

#: How a file of each type starts: its first bytes, or "magic bytes".
MAGIC_BYTES = {
    ".gif": (b"GIF87a", b"GIF89a"),
    ".jpeg": (b"\xff\xd8\xff",),
    ".jpg": (b"\xff\xd8\xff",),
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def check(content: bytes, extension: str) -> None:
    """Refuse (400) ``content`` that is not of the type ``extension`` says."""
    if extension.lower() == ".txt":
        try:
            matches = "\0" not in content.decode()
        except UnicodeDecodeError:
            matches = False
    else:
        matches = content.startswith(MAGIC_BYTES[extension.lower()])
    if not matches:
        abort(400, f"That is not a {extension} file: its content is not.")
