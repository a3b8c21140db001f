"""File uploads: saving, checking, listing and sending back files."""

import io

import pytest

from hello.uploads import MAX_NAME_BYTES, allowed_file, format_size
from showcase.testing import submit_form

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(16)


def upload(client, filename, content=b"hello\n", **kwargs):
    """Post one file with the upload form, as a browser would."""
    return submit_form(
        client, "/uploads", {"file": (io.BytesIO(content), filename)}, **kwargs
    )


def test_form(client):
    response = client.get("/uploads")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="file">A file to upload</label>' in page
    assert (
        "At most 1 MiB; one of: .gif, .jpeg, .jpg, .pdf, .png, .txt." in page
    )
    assert "No files yet." in page


def test_upload_lands_in_the_upload_folder(client, upload_folder):
    response = upload(client, "notes.txt", b"my notes")
    assert response.status_code == 302
    assert response.location == "/uploads"
    assert (upload_folder / "notes.txt").read_bytes() == b"my notes"
    page = client.get("/uploads").get_data(as_text=True)
    assert "Uploaded notes.txt." in page
    assert '<a href="/uploads/notes.txt" download>notes.txt</a>' in page


@pytest.mark.parametrize(
    "filename", ["a.txt", "b.PDF", "c.png", "d.jpg", "e.JPEG", "f.gif"]
)
def test_allowed_types(client, upload_folder, filename):
    assert upload(client, filename).status_code == 302
    assert (upload_folder / filename).is_file()


def test_same_name_is_never_overwritten(client, upload_folder):
    for content in [b"first", b"second", b"third"]:
        assert upload(client, "notes.txt", content).status_code == 302
    assert (upload_folder / "notes.txt").read_bytes() == b"first"
    assert (upload_folder / "notes-2.txt").read_bytes() == b"second"
    assert (upload_folder / "notes-3.txt").read_bytes() == b"third"
    page = client.get("/uploads").get_data(as_text=True)
    assert "Uploaded notes-3.txt." in page


@pytest.mark.parametrize(
    ("filename", "saved_as"),
    [
        ("../../evil.txt", "evil.txt"),
        ("/etc/passwd.txt", "etc_passwd.txt"),
        ("my notes.txt", "my_notes.txt"),
        (r"C:\Users\me\notes.txt", "CUsersmenotes.txt"),
    ],
)
def test_file_names_are_made_safe(client, upload_folder, filename, saved_as):
    assert upload(client, filename).status_code == 302
    assert [path.name for path in upload_folder.iterdir()] == [saved_as]
    assert not (upload_folder.parent / "evil.txt").exists()


@pytest.mark.parametrize(
    "filename",
    [
        "page.html",
        "page.HTM",
        "drawing.svg",
        "script.js",
        "notes",
        "notes.txt.exe",
        "файл.txt",
    ],
)
def test_disallowed_type_gets_a_clear_message(client, upload_folder, filename):
    response = upload(client, filename, b"<script>alert(1)</script>")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "Files of that type are not allowed. Choose one of: .gif, .jpeg"
        in page
    )
    assert not any(upload_folder.iterdir())


def test_no_file_chosen(client, upload_folder):
    """A browser sends an empty file name when no file was chosen."""
    response = upload(client, "", b"")
    assert response.status_code == 400
    assert "Choose a file to upload." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_no_file_field(client):
    response = submit_form(
        client, "/uploads", {}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_empty_file(client, upload_folder):
    response = upload(client, "empty.txt", b"")
    assert response.status_code == 400
    assert "That file is empty" in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_oversized_upload_gives_413(post_multipart, upload_folder):
    big = ("big.txt", b"x" * (1024 * 1024 + 1))
    response = post_multipart("/uploads", {"file": big})
    assert response.status_code == 413
    assert "at most 1 MiB" in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_upload_just_under_the_limit(post_multipart, upload_folder):
    """The limit counts the whole request: a file a bit under 1 MiB fits."""
    big = ("big.txt", b"x" * 1_000_000)
    assert post_multipart("/uploads", {"file": big}).status_code == 302
    assert (upload_folder / "big.txt").stat().st_size == 1_000_000


def test_upload_without_csrf_token(client, upload_folder):
    response = client.post(
        "/uploads", data={"file": (io.BytesIO(b"hi"), "notes.txt")}
    )
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_download(client):
    upload(client, "notes.txt", b"my notes")
    response = client.get("/uploads/notes.txt")
    assert response.status_code == 200
    assert response.data == b"my notes"
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=notes.txt"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


@pytest.mark.parametrize(
    "name", ["missing.txt", "..", "..%2Fconftest.py", "%2E%2E"]
)
def test_download_outside_or_missing_is_404(client, name):
    response = client.get(f"/uploads/{name}")
    assert response.status_code == 404


def test_missing_folder_is_made(app, client, tmp_path):
    """A folder deleted (or never made) is made again on the next visit."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "new" / "uploads")
    assert client.get("/uploads").status_code == 200
    assert (tmp_path / "new" / "uploads").is_dir()
    assert upload(client, "notes.txt").status_code == 302


def test_list_shows_only_files(client, upload_folder):
    (upload_folder / "a-folder").mkdir()
    (upload_folder / "b.txt").write_text("b")
    page = client.get("/uploads").get_data(as_text=True)
    assert "b.txt" in page
    assert "a-folder" not in page


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KiB"),
        (1536, "1.5 KiB"),
        (1024 * 1024, "1 MiB"),
        (16 * 1024 * 1024, "16 MiB"),
    ],
)
def test_format_size(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize(
    ("filename", "allowed"),
    [
        ("a.txt", True),
        ("a.TxT", True),
        ("a.tar.gz", False),
        ("txt", False),
        ("a.", False),
    ],
)
def test_allowed_file(filename, allowed):
    assert allowed_file(filename) is allowed


def test_limit_follows_the_config(app, client, upload_folder):
    """The 413 page states the limit the app is configured with."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = submit_form(
        client, "/uploads", {"file": (io.BytesIO(b"x" * 70_000), "a.txt")}
    )
    assert response.status_code == 413
    assert "at most 64 KiB." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_too_large_form_field_keeps_werkzeugs_description(post_multipart):
    """Under the size limit, but a text field is over MAX_FORM_MEMORY_SIZE."""
    response = post_multipart("/request", {"message": "x" * 600_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The data value transmitted exceeds the capacity limit." in page
    assert "at most 1 MiB" not in page


@pytest.mark.parametrize(
    "stem", ["a" * 300, "é" * 200, "b" * 251, "c" * 252, "d" * 1000]
)
def test_long_names_are_shortened(client, upload_folder, stem):
    """Names over 255 bytes are cut, keeping the extension."""
    for _ in range(3):
        assert upload(client, f"{stem}.txt").status_code == 302
    names = sorted(path.name for path in upload_folder.iterdir())
    assert len(names) == 3
    for name in names:
        assert len(name.encode()) <= MAX_NAME_BYTES
        assert name.endswith(".txt")


def test_shortened_names_count_bytes(client, upload_folder):
    """A name just under the limit grows a "-2" and stays under it."""
    stem = "x" * (MAX_NAME_BYTES - len(".txt"))
    upload(client, f"{stem}.txt", b"first")
    upload(client, f"{stem}.txt", b"second")
    assert (upload_folder / f"{stem}.txt").read_bytes() == b"first"
    second = f"{stem[:-2]}-2.txt"
    assert len(second) == MAX_NAME_BYTES
    assert (upload_folder / second).read_bytes() == b"second"


def test_folder_full_of_files(app, client, upload_folder):
    """Past UPLOAD_MAX_FILES, an upload is refused with the reason (413)."""
    app.config["UPLOAD_MAX_FILES"] = 3
    for number in range(3):
        assert upload(client, f"{number}.txt").status_code == 302
    response = upload(client, "one-more.txt")
    assert response.status_code == 413
    assert (
        "The upload folder is full: it keeps at most 3 files and 20 MiB"
        " in all." in response.get_data(as_text=True)
    )
    assert len(list(upload_folder.iterdir())) == 3


def test_folder_full_of_bytes(app, client, upload_folder):
    """A file that would take the folder past UPLOAD_MAX_BYTES: 413."""
    app.config["UPLOAD_MAX_BYTES"] = 10
    assert upload(client, "a.txt", b"x" * 6).status_code == 302
    response = upload(client, "b.txt", b"x" * 5)
    assert response.status_code == 413
    assert "at most 50 files and 10 bytes in all." in response.get_data(
        as_text=True
    )
    assert upload(client, "c.txt", b"x" * 4).status_code == 302
    assert sorted(path.name for path in upload_folder.iterdir()) == [
        "a.txt",
        "c.txt",
    ]


def test_upload_page_states_the_cap(client):
    page = client.get("/uploads").get_data(as_text=True)
    assert "The folder keeps at most 50 files and 20 MiB in all." in page
