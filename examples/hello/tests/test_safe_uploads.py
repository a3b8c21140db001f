"""Safe uploads: no file replaced, names that fit, and limits (the
request's size, empty files, a full folder) refused with a clear message
and the right status."""

import pytest
from werkzeug.test import encode_multipart

from showcase.testing import csrf_token

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(15)

#: Most file systems refuse a file name longer than 255 bytes.
MAX_NAME_BYTES = 255


def test_same_name_is_never_overwritten(client, upload, upload_folder):
    """A second notes.txt is saved as notes-2.txt, the first one kept."""
    for content in [b"first", b"second", b"third"]:
        assert upload("notes.txt", content).location == "/uploads"
    assert (upload_folder / "notes.txt").read_bytes() == b"first"
    assert (upload_folder / "notes-2.txt").read_bytes() == b"second"
    assert (upload_folder / "notes-3.txt").read_bytes() == b"third"
    page = client.get("/uploads").get_data(as_text=True)
    assert "Uploaded notes-3.txt." in page


def test_form_states_the_limits(client):
    """The form says how big a file may be, and how much the folder keeps."""
    page = " ".join(client.get("/uploads").get_data(as_text=True).split())
    assert "At most 1 MiB." in page
    assert "The folder keeps at most 50 files and 20 MiB in all." in page


def test_oversized_upload_gives_413(upload, upload_folder):
    """A request over MAX_CONTENT_LENGTH is refused, and told the limit."""
    response = upload("big.txt", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "at most 1 MiB." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_upload_just_under_the_limit(upload, upload_folder):
    """The limit counts the whole request: a file a bit under 1 MiB fits."""
    response = upload("big.txt", b"x" * 1_000_000)
    assert response.location == "/uploads"
    assert (upload_folder / "big.txt").stat().st_size == 1_000_000


def test_limit_follows_the_config(app, upload, upload_folder):
    """The 413 page states the limit the app is configured with."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload("a.txt", b"x" * 70_000)
    assert response.status_code == 413
    assert "at most 64 KiB." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_too_large_form_field_keeps_werkzeugs_description(client):
    """Under the size limit, but a text field is over MAX_FORM_MEMORY_SIZE."""
    token = csrf_token(client.get("/request"))
    fields = {"message": "x" * 600_000, "csrf_token": token}
    boundary, body = encode_multipart(fields)
    content_type = f"multipart/form-data; boundary={boundary}"
    response = client.post("/request", data=body, content_type=content_type)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The data value transmitted exceeds the capacity limit." in page
    assert "at most 1 MiB" not in page


def test_empty_file(upload, upload_folder):
    response = upload("empty.txt", b"")
    assert response.status_code == 400
    assert "That file is empty" in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


@pytest.mark.parametrize("stem", ["a" * 1000, "b" * 251, "c" * 252])
def test_long_names_are_shortened(upload, upload_folder, stem):
    """Names over 255 bytes are cut, keeping the extension."""
    for _ in range(3):
        assert upload(f"{stem}.txt").location == "/uploads"
    names = sorted(path.name for path in upload_folder.iterdir())
    assert len(names) == 3
    for name in names:
        assert len(name.encode()) <= MAX_NAME_BYTES
        assert name.endswith(".txt")


def test_shortened_names_count_bytes(upload, upload_folder):
    """A name just under the limit grows a "-2" and stays under it."""
    stem = "x" * (MAX_NAME_BYTES - len(".txt"))
    upload(f"{stem}.txt", b"first")
    upload(f"{stem}.txt", b"second")
    assert (upload_folder / f"{stem}.txt").read_bytes() == b"first"
    second = f"{stem[:-2]}-2.txt"
    assert len(second) == MAX_NAME_BYTES
    assert (upload_folder / second).read_bytes() == b"second"


def test_folder_full_of_files(app, upload, upload_folder):
    """Past UPLOAD_MAX_FILES, an upload is refused with the reason (413)."""
    app.config["UPLOAD_MAX_FILES"] = 3
    for number in range(3):
        assert upload(f"{number}.txt").location == "/uploads"
    response = upload("one-more.txt")
    assert response.status_code == 413
    assert (
        "The upload folder is full: it keeps at most 3 files and 20 MiB"
        " in all." in response.get_data(as_text=True)
    )
    assert len(list(upload_folder.iterdir())) == 3


def test_folder_full_of_bytes(app, upload, upload_folder):
    """A file that would take the folder past UPLOAD_MAX_BYTES: 413."""
    app.config["UPLOAD_MAX_BYTES"] = 10
    assert upload("a.txt", b"x" * 6).location == "/uploads"
    response = upload("b.txt", b"x" * 5)
    assert response.status_code == 413
    assert "at most 50 files and 10 bytes in all." in response.get_data(
        as_text=True
    )
    assert upload("c.txt", b"x" * 4).location == "/uploads"
    assert sorted(path.name for path in upload_folder.iterdir()) == [
        "a.txt",
        "c.txt",
    ]
