"""Safe uploads: no file replaced, names that fit, files that are what
their names say, and limits (the request's size, empty files, a full
folder) refused with a clear message and the right status."""

import pytest
from conftest import links, redirects_to, shows
from werkzeug.test import encode_multipart

from showcase.testing import csrf_token

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(15)

#: Most file systems refuse a file name longer than 255 bytes.
MAX_NAME_BYTES = 255


def test_same_name_is_never_overwritten(client, upload, visitor_folder):
    """A second notes.txt is saved as notes-2.txt, the first one kept."""
    for content in [b"first", b"second", b"third"]:
        assert redirects_to(upload("notes.txt", content), "/uploads")
    assert (visitor_folder / "notes.txt").read_bytes() == b"first"
    assert (visitor_folder / "notes-2.txt").read_bytes() == b"second"
    assert (visitor_folder / "notes-3.txt").read_bytes() == b"third"
    assert "/uploads/notes-3.txt" in links(client.get("/uploads"))


def test_form_states_the_limits(client):
    """The form says how big a file may be, and how much the folder keeps."""
    assert shows(client.get("/uploads"), "1 MiB", "50 files", "20 MiB")


def test_oversized_upload_gives_413(upload, visitor_folder):
    """A request over MAX_CONTENT_LENGTH is refused, and told the limit."""
    response = upload("big.txt", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert shows(response, "1 MiB")
    assert not visitor_folder.exists()


def test_upload_just_under_the_limit(upload, visitor_folder):
    """The limit counts the whole request: a file a bit under 1 MiB fits."""
    response = upload("big.txt", b"x" * 1_000_000)
    assert redirects_to(response, "/uploads")
    assert (visitor_folder / "big.txt").stat().st_size == 1_000_000


def test_limit_follows_the_config(app, upload, visitor_folder):
    """The 413 page states the limit the app is configured with."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload("a.txt", b"x" * 70_000)
    assert response.status_code == 413
    assert shows(response, "64 KiB")
    assert not visitor_folder.exists()


def test_too_large_form_field_keeps_werkzeugs_description(client):
    """Under the size limit, but a text field is over MAX_FORM_MEMORY_SIZE."""
    token = csrf_token(client.get("/request"))
    fields = {"message": "x" * 600_000, "csrf_token": token}
    boundary, body = encode_multipart(fields)
    content_type = f"multipart/form-data; boundary={boundary}"
    response = client.post("/request", data=body, content_type=content_type)
    assert response.status_code == 413
    assert not shows(response, "1 MiB")


def test_empty_file(upload, visitor_folder):
    """An empty file is refused (400), and nothing is stored."""
    response = upload("empty.txt", b"")
    assert response.status_code == 400
    assert not visitor_folder.exists()


@pytest.mark.parametrize("stem", ["a" * 1000, "b" * 251, "c" * 252])
def test_long_names_are_shortened(upload, visitor_folder, stem):
    """Names over 255 bytes are cut, keeping the extension."""
    for _ in range(3):
        assert redirects_to(upload(f"{stem}.txt"), "/uploads")
    names = sorted(path.name for path in visitor_folder.iterdir())
    assert len(names) == 3
    for name in names:
        assert len(name.encode()) <= MAX_NAME_BYTES
        assert name.endswith(".txt")


def test_shortened_names_count_bytes(upload, visitor_folder):
    """A name just under the limit grows a "-2" and stays under it."""
    stem = "x" * (MAX_NAME_BYTES - len(".txt"))
    upload(f"{stem}.txt", b"first")
    upload(f"{stem}.txt", b"second")
    assert (visitor_folder / f"{stem}.txt").read_bytes() == b"first"
    second = f"{stem[:-2]}-2.txt"
    assert len(second) == MAX_NAME_BYTES
    assert (visitor_folder / second).read_bytes() == b"second"


def test_folder_full_of_files(app, upload, stranger_upload, upload_folder):
    """Past UPLOAD_MAX_FILES, everyone's files together, an upload is
    refused with the reason (413)."""
    app.config["UPLOAD_MAX_FILES"] = 3
    for number in range(2):
        assert redirects_to(upload(f"{number}.txt"), "/uploads")
    assert redirects_to(stranger_upload("theirs.txt"), "/uploads")
    response = upload("one-more.txt")
    assert response.status_code == 413
    assert shows(response, "3 files", "20 MiB")
    assert len(list(upload_folder.glob("*/*"))) == 3


def test_folder_full_of_bytes(app, upload, visitor_folder):
    """A file that would take the folder past UPLOAD_MAX_BYTES: 413."""
    app.config["UPLOAD_MAX_BYTES"] = 10
    assert redirects_to(upload("a.txt", b"x" * 6), "/uploads")
    response = upload("b.txt", b"x" * 5)
    assert response.status_code == 413
    assert shows(response, "50 files", "10 bytes")
    assert redirects_to(upload("c.txt", b"x" * 4), "/uploads")
    assert sorted(path.name for path in visitor_folder.iterdir()) == [
        "a.txt",
        "c.txt",
    ]


def test_every_allowed_type_has_a_content_check(client, upload):
    """Every type the form lists but text checks its content: a page
    named as one of them is refused."""
    for extension in [".gif", ".jpeg", ".jpg", ".pdf", ".png"]:
        assert shows(client.get("/uploads"), extension)
        response = upload(f"page{extension}", b"<!DOCTYPE html>")
        assert response.status_code == 400, extension


def test_a_page_renamed_as_a_picture_is_refused(upload, upload_folder):
    """An HTML page named .png is still a page: refused (400), not saved."""
    for name in ["page.png", "page.PNG", "page.gif", "page.jpg", "page.pdf"]:
        response = upload(name, b"<!DOCTYPE html><script>alert(1)</script>")
        assert response.status_code == 400, name
        extension = name.rsplit(".", 1)[1]
        assert shows(response, f".{extension}"), name
    assert not any(path.is_file() for path in upload_folder.rglob("*"))


def test_content_that_does_not_match_the_name_is_refused(
    upload, visitor_folder
):
    """Other types named as pictures, and .txt files that are not text."""
    for name, content in [
        ("picture.png", b"GIF89a\x01\x00"),  # a GIF named .png
        ("picture.jpg", b"\x89PNG\r\n\x1a\n"),
        ("picture.gif", b"GIF90a"),
        ("report.pdf", b" %PDF-1.7"),
        ("notes.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),  # not UTF-8
        ("notes.txt", b"text\x00with a NUL"),
        ("notes.txt", "déjà vu".encode("latin-1")),
    ]:
        response = upload(name, content)
        assert response.status_code == 400, name
    assert not visitor_folder.exists()


def test_text_in_any_language_is_text(upload, visitor_folder):
    """A .txt file is UTF-8 text: any language, any line ending."""
    content = "Grüße, 你好, déjà vu\r\n\tこんにちは\n".encode()
    assert redirects_to(upload("notes.txt", content), "/uploads")
    assert (visitor_folder / "notes.txt").read_bytes() == content
