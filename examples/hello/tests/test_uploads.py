"""File uploads: a file sent with the form is saved, listed and sent back,
to the visitor who sent it and to nobody else."""

import io

import pytest
from conftest import links, redirects_to, shows

from showcase.testing import submit_form

#: The types the form takes, as the page lists them.
ALLOWED = [".gif", ".jpeg", ".jpg", ".pdf", ".png", ".txt"]

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(14)


def test_form(client):
    """A form that sends a file, saying which types it takes."""
    response = client.get("/uploads")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file"' in page
    assert shows(response, *ALLOWED)


def test_upload_lands_in_the_visitors_folder(
    client, upload, visitor_folder, flashes
):
    """The file is saved, a message says so, and the list links to it."""
    response = upload("notes.txt", b"my notes")
    assert redirects_to(response, "/uploads")
    assert (visitor_folder / "notes.txt").read_bytes() == b"my notes"
    [(category, message)] = flashes
    assert category == "success"
    assert "notes.txt" in message
    response = client.get("/uploads")
    assert shows(response, message)
    assert "/uploads/notes.txt" in links(response)


def test_empty_list_points_to_the_form(client, upload):
    """No files yet: a link to the form on the page; then no such link."""

    def links_on_the_page(response):
        return [link for link in links(response) if link.startswith("#")]

    empty = links_on_the_page(client.get("/uploads"))
    upload("notes.txt")
    full = links_on_the_page(client.get("/uploads"))
    assert len(empty) == len(full) + 1


def test_allowed_types(upload, visitor_folder):
    """Text, PDF and pictures are taken, whatever the case of the ending."""
    names = ["a.txt", "b.PDF", "c.png", "d.jpg", "e.JPEG", "f.gif"]
    for name in names:
        assert redirects_to(upload(name), "/uploads"), name
    assert sorted(path.name for path in visitor_folder.iterdir()) == names


def test_file_names_are_made_safe(upload, upload_folder, visitor_folder):
    """A name cannot lead out of the upload folder."""
    for name in [
        "../../evil.txt",
        "/etc/passwd.txt",
        "my notes.txt",
        r"C:\Users\me\notes.txt",
    ]:
        assert redirects_to(upload(name), "/uploads"), name
    assert sorted(path.name for path in visitor_folder.iterdir()) == [
        "CUsersmenotes.txt",
        "etc_passwd.txt",
        "evil.txt",
        "my_notes.txt",
    ]
    assert not (upload_folder / "evil.txt").exists()
    assert not (upload_folder.parent / "evil.txt").exists()


def test_disallowed_type_gets_a_clear_message(upload, upload_folder):
    """Types a browser could run scripts from are refused, with the list."""
    for name in [
        "page.html",
        "page.HTM",
        "drawing.svg",
        "script.js",
        "notes",
        "notes.txt.exe",
        "файл.txt",
    ]:
        response = upload(name, b"<script>alert(1)</script>")
        assert response.status_code == 400, name
        assert shows(response, *ALLOWED), name
    assert not any(path.is_file() for path in upload_folder.rglob("*"))


def test_no_file_chosen(upload, upload_folder):
    """A browser sends an empty file name when no file was chosen."""
    response = upload("", b"")
    assert response.status_code == 400
    assert not any(path.is_file() for path in upload_folder.rglob("*"))


def test_no_file_field(client):
    response = submit_form(
        client, "/uploads", {}, content_type="multipart/form-data"
    )
    assert response.status_code == 400


def test_upload_without_csrf_token(client, upload_folder):
    response = client.post(
        "/uploads", data={"file": (io.BytesIO(b"hi"), "notes.txt")}
    )
    assert response.status_code == 400
    assert not any(path.is_file() for path in upload_folder.rglob("*"))


def test_download(client, upload):
    """A file comes back as a download, never shown as a page of the site."""
    upload("notes.txt", b"my notes")
    with client.get("/uploads/notes.txt") as response:
        assert response.status_code == 200
        assert response.data == b"my notes"
        assert (
            response.headers["Content-Disposition"]
            == "attachment; filename=notes.txt"
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_download_of_a_missing_file_is_404(client, upload):
    upload("notes.txt")
    assert client.get("/uploads/missing.txt").status_code == 404


@pytest.mark.parametrize("name", ["..", "..%2Fconftest.py", "%2E%2E"])
def test_download_outside_the_folder_is_404(client, visitor_folder, name):
    """Names that climb out of the visitor's folder find nothing."""
    visitor_folder.mkdir(parents=True)
    (visitor_folder.parent / "conftest.py").write_text("secret")
    assert client.get(f"/uploads/{name}").status_code == 404


def test_a_stranger_neither_lists_nor_downloads_your_files(
    client, upload, stranger
):
    """A second visitor sees an empty list, and gets 404 for your file."""
    upload("secret.txt", b"my secret")
    response = stranger.get("/uploads")
    assert response.status_code == 200
    assert "secret.txt" not in response.get_data(as_text=True)
    assert stranger.get("/uploads/secret.txt").status_code == 404
    with client.get("/uploads/secret.txt") as response:
        assert response.data == b"my secret"


def test_a_stranger_who_knows_your_folder_still_gets_404(
    upload, stranger, visitor_folder
):
    """Your folder's name is in your session only; even knowing it, a
    second visitor cannot climb into it."""
    upload("secret.txt", b"my secret")
    path = f"/uploads/..%2F{visitor_folder.name}%2Fsecret.txt"
    assert stranger.get(path).status_code == 404


def test_each_visitor_has_a_folder_of_their_own(
    upload, stranger_upload, upload_folder
):
    """Two visitors upload notes.txt: two files, in two folders."""
    upload("notes.txt", b"mine")
    stranger_upload("notes.txt", b"theirs")
    saved = sorted(upload_folder.glob("*/notes.txt"))
    assert [path.read_bytes() for path in saved] in (
        [b"mine", b"theirs"],
        [b"theirs", b"mine"],
    )


def test_missing_folder_is_made(client, upload, upload_folder):
    """A folder deleted (or never made) is made again when needed."""
    upload_folder.rmdir()
    assert client.get("/uploads").status_code == 200
    assert redirects_to(upload("notes.txt"), "/uploads")
    assert len(list(upload_folder.glob("*/notes.txt"))) == 1


def test_list_shows_only_files(client, visitor_folder):
    (visitor_folder / "a-folder").mkdir(parents=True)
    (visitor_folder / "b.txt").write_text("b")
    listed = links(client.get("/uploads"))
    assert "/uploads/b.txt" in listed
    assert "/uploads/a-folder" not in listed
