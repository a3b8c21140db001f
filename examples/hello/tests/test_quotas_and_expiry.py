"""Quotas and expiry: each visitor may keep only so much, and only for a
day, so no visitor can close uploads for everyone else."""

import os
import time

import pytest
from conftest import links, redirects_to, shows

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(16)

#: A day and a minute ago: past the UPLOAD_MAX_AGE of a day.
YESTERDAY = time.time() - 24 * 60 * 60 - 60


def test_form_states_the_quota_and_the_lifetime(client):
    """The page says how long files stay, and how much each visitor keeps."""
    assert shows(client.get("/uploads"), "24 hours", "10 files", "5 MiB")


def test_many_tiny_uploads_do_not_close_uploads_for_others(
    upload, stranger_upload
):
    """One visitor sends 50 tiny files: past their quota of 10 they are
    refused (413), and another visitor can still upload."""
    responses = [upload(f"{number}.txt", b"x") for number in range(50)]
    assert all(redirects_to(r, "/uploads") for r in responses[:10])
    assert [r.status_code for r in responses[10:]] == [413] * 40
    response = upload("one-more.txt", b"x")
    assert shows(response, "10 files", "5 MiB")
    assert redirects_to(stranger_upload("mine.txt"), "/uploads")


def test_quota_of_bytes_per_visitor(app, upload, stranger_upload):
    """A file that would take a visitor past their bytes: 413."""
    app.config["UPLOAD_MAX_BYTES_PER_VISITOR"] = 10
    assert redirects_to(upload("a.txt", b"x" * 6), "/uploads")
    response = upload("b.txt", b"x" * 5)
    assert response.status_code == 413
    assert shows(response, "10 files", "10 bytes")
    assert redirects_to(upload("c.txt", b"x" * 4), "/uploads")
    assert redirects_to(stranger_upload("d.txt", b"x" * 6), "/uploads")


def make_old(folder, name):
    """Date the file ``name``, anywhere in ``folder``, a day ago."""
    (path,) = folder.glob(f"**/{name}")
    os.utime(path, (YESTERDAY, YESTERDAY))


def test_files_expire_after_a_day(client, upload, upload_folder):
    """A file older than UPLOAD_MAX_AGE is deleted, no longer listed nor
    sent; a younger one stays."""
    upload("old.txt", b"old")
    make_old(upload_folder, "old.txt")
    with client.get("/uploads/old.txt") as response:
        assert response.status_code == 404
    upload("new.txt", b"new")
    listed = links(client.get("/uploads"))
    assert "/uploads/new.txt" in listed
    assert "/uploads/old.txt" not in listed
    assert [path.name for path in upload_folder.glob("**/*.txt")] == [
        "new.txt"
    ]


def test_a_folder_goes_with_its_last_file(client, upload, visitor_folder):
    """A visitor's folder left empty by expiry is deleted too."""
    upload("old.txt")
    make_old(visitor_folder, "old.txt")
    client.get("/uploads")
    assert not visitor_folder.exists()
    assert visitor_folder.parent.exists()


def test_expired_files_of_everyone_are_deleted(
    client, upload, stranger, stranger_upload, upload_folder
):
    """Any visit to the list deletes every visitor's expired files."""
    stranger_upload("theirs.txt")
    (stranger_folder,) = upload_folder.iterdir()
    make_old(stranger_folder, "theirs.txt")
    upload("mine.txt")
    client.get("/uploads")
    assert [path.name for path in upload_folder.glob("*/*")] == ["mine.txt"]


def test_expired_files_make_room_again(app, client, upload, visitor_folder):
    """A visitor whose quota is full can upload again once files expire."""
    app.config["UPLOAD_MAX_FILES_PER_VISITOR"] = 2
    upload("a.txt")
    upload("b.txt")
    assert upload("c.txt").status_code == 413
    make_old(visitor_folder, "a.txt")
    client.get("/uploads")
    assert redirects_to(upload("c.txt"), "/uploads")
    assert sorted(path.name for path in visitor_folder.iterdir()) == [
        "b.txt",
        "c.txt",
    ]


def test_lifetime_follows_the_config(app, client, upload, visitor_folder):
    """UPLOAD_MAX_AGE is in seconds; the page states it in hours."""
    app.config["UPLOAD_MAX_AGE"] = 30 * 60
    response = client.get("/uploads")
    assert shows(response, "0.5 hours") or shows(response, "30 minutes")
    upload("notes.txt")
    an_hour_ago = time.time() - 60 * 60
    os.utime(visitor_folder / "notes.txt", (an_hour_ago, an_hour_ago))
    assert "/uploads/notes.txt" not in links(client.get("/uploads"))
