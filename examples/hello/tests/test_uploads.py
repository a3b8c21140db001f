"""File uploads: saving, checking, listing and sending back files."""

from __future__ import annotations

import io

import pytest

from hello.uploads import PER_PAGE, allowed_file, format_size
from showcase.testing import submit_form


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


def test_upload_lands_in_the_upload_folder(client, upload_folder, tmp_path):
    response = upload(client, "notes.txt", b"my notes")
    assert response.status_code == 302
    assert response.location == "/uploads"
    assert upload_folder == tmp_path / "instance" / "uploads"
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
def test_file_names_are_made_safe(
    client, upload_folder, tmp_path, filename, saved_as
):
    assert upload(client, filename).status_code == 302
    assert [path.name for path in upload_folder.iterdir()] == [saved_as]
    assert not (tmp_path / "evil.txt").exists()


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
    """The limit counts the whole request, so a file a little under 1 MiB fits."""
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


def test_list_shows_only_files(client, upload_folder):
    (upload_folder / "a-folder").mkdir()
    (upload_folder / "b.txt").write_text("b")
    page = client.get("/uploads").get_data(as_text=True)
    assert "b.txt" in page
    assert "a-folder" not in page


def test_list_is_paginated(client, upload_folder):
    names = [f"file-{number:02}.txt" for number in range(PER_PAGE + 1)]
    for name in names:
        (upload_folder / name).write_text(name)
    first = client.get("/uploads").get_data(as_text=True)
    assert all(f">{name}</a>" in first for name in names[:PER_PAGE])
    assert names[-1] not in first
    assert 'href="/uploads?page=2"' in first
    second = client.get("/uploads?page=2").get_data(as_text=True)
    assert f">{names[-1]}</a>" in second
    assert names[0] not in second


@pytest.mark.parametrize("page", ["0", "2", "x", "-1"])
def test_page_out_of_range_is_404(client, page):
    assert client.get(f"/uploads?page={page}").status_code == 404


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
