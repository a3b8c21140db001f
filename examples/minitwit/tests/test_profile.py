"""A profile: a display name, a few words, and a picture of one's own."""

from __future__ import annotations

import functools
import io
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import sql
from html_page import Page
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from showcase.testing import csrf_token, submit_form

pytestmark = pytest.mark.step(22)


@pytest.fixture
def avatars(app) -> Path:
    """The folder of the uploaded pictures, empty."""
    folder = Path(app.config["AVATAR_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    return folder


def picture(fmt: str = "PNG", size=(40, 30), **options) -> bytes:
    """A small picture file in ``fmt``."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


@functools.cache
def png_of(width: int, height: int) -> bytes:
    """A black PNG of ``width`` x ``height`` pixels, 1 bit each: tens of KB
    of file, however many pixels (a decompression bomb). ``height`` is a
    multiple of 1000."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    packer = zlib.compressobj(9)
    rows = bytes(1 + (width + 7) // 8) * 1000  # filter byte, then the bits
    data = b"".join(packer.compress(rows) for _ in range(height // 1000))
    data += packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def upload(client, data: bytes, filename: str = "me.png", token=True):
    """Send ``data`` as the picture, with the form's CSRF token.

    The body is encoded in memory: the test client would spill a large one
    to a temporary file that nothing closes when the app refuses it unread.
    """
    form: dict[str, object] = {
        "picture": FileStorage(io.BytesIO(data), filename)
    }
    if token:
        form["csrf_token"] = csrf_token(client.get("/settings/avatar"))
    boundary, body = encode_multipart(form)
    return client.post(
        "/settings/avatar",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def avatar_name(app, username: str = "alice") -> str | None:
    """The stored picture of ``username``, as the database says."""
    (row,) = sql(
        app, "SELECT avatar_name FROM account WHERE username = :u", u=username
    )
    return row["avatar_name"]


def avatar_srcs(html: str) -> list[str]:
    """The src of each image on a page."""
    return re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', html)


# --- the profile ------------------------------------------------------------


def test_profile_shown_on_the_user_page_escaped(client, auth):
    """The name and the words you save are on your page, as text."""
    auth.signup("alice")
    data = {"display_name": " Alice Liddell ", "about": "<b>Down</b> we go"}
    response = submit_form(client, "/settings/profile", data)
    assert response.location == "/alice"
    page = client.get("/alice").get_data(as_text=True)
    assert "Alice Liddell" in Page(page).text()
    assert "<b>Down</b> we go" in Page(page).text()  # shown, not obeyed
    assert "<b>" not in page
    form = Page(client.get("/settings/profile").get_data(as_text=True))
    assert form.form_with("about")["display_name"]["value"] == "Alice Liddell"


def test_profile_can_be_emptied(app, client, auth):
    auth.signup("alice")
    submit_form(
        client, "/settings/profile", {"display_name": "A", "about": "B"}
    )
    data = {"display_name": "", "about": "  "}
    assert submit_form(client, "/settings/profile", data).location == "/alice"
    (row,) = sql(app, "SELECT display_name, about FROM account")
    assert (row["display_name"], row["about"]) == (None, None)


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": "x" * 51, "about": ""},
        {"display_name": "", "about": "x" * 161},
        {"display_name": "a\x00b", "about": ""},
        {"display_name": "", "about": "bell\x07"},
    ],
)
def test_profile_refuses_long_or_garbled_text(app, client, auth, data):
    auth.signup("alice")
    assert submit_form(client, "/settings/profile", data).status_code == 400
    (row,) = sql(app, "SELECT display_name, about FROM account")
    assert (row["display_name"], row["about"]) == (None, None)


def test_profile_needs_a_login_and_the_csrf_token(app, client, auth):
    response = client.get("/settings/profile")
    assert response.location.startswith("/login?next=")
    auth.signup("alice")
    response = client.post("/settings/profile", data={"display_name": "X"})
    assert response.status_code == 400
    (row,) = sql(app, "SELECT display_name FROM account")
    assert row["display_name"] is None


# --- uploading a picture ----------------------------------------------------


def jpeg_with_metadata() -> bytes:
    """A landscape JPEG whose EXIF names a camera and says "turn it a
    quarter": taken with the phone held upright."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = "Alice Liddell"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to show
    return picture("JPEG", (300, 200), exif=exif.tobytes(), comment=b"hi")


@pytest.mark.step(23)
def test_upload_is_redrawn_without_metadata(app, client, auth, avatars):
    """The stored file is a new 256 x 256 WebP: upright, no EXIF, no
    comment, under a name that is not the uploaded one."""
    auth.signup("alice")
    response = upload(client, jpeg_with_metadata(), "holiday.jpg")
    assert response.location == "/settings/avatar"
    name = avatar_name(app)
    (stored,) = avatars.iterdir()
    assert stored.name == name
    assert "holiday" not in name
    data = stored.read_bytes()
    assert b"SecretCam" not in data and b"Alice" not in data
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("WEBP", (256, 256))
        assert not image.getexif()
        assert {"exif", "icc_profile", "xmp", "comment"}.isdisjoint(image.info)
        image = image.convert("RGBA")
        # Turned upright (taller than wide), then padded at the sides.
        assert image.getpixel((128, 10))[3] == 255
        assert image.getpixel((10, 128))[3] == 0


@pytest.mark.step(23)
@pytest.mark.parametrize(
    ("fmt", "filename"),
    [
        ("PNG", "a.png"),
        ("GIF", "a.gif"),
        ("WEBP", "a.WEBP"),
        ("JPEG", "a.jpeg"),
    ],
)
def test_every_format_offered_is_taken(
    app, client, auth, avatars, fmt, filename
):
    auth.signup("alice")
    response = upload(client, picture(fmt), filename)
    assert 300 <= response.status_code < 400
    assert avatar_name(app) is not None


@pytest.mark.step(23)
def test_the_timelines_show_the_picture(app, client, auth, avatars):
    auth.signup("bob")
    submit_form(client, "/add_message", {"text": "bob's"}, form_url="/")
    auth.logout()
    auth.signup("alice")
    submit_form(client, "/add_message", {"text": "alice's"}, form_url="/")
    upload(client, picture())
    mine = f"/avatars/{avatar_name(app)}"
    for url in ("/", "/public", "/alice"):
        srcs = avatar_srcs(client.get(url).get_data(as_text=True))
        assert mine in srcs, url
    assert "/avatar/bob.svg" in avatar_srcs(client.get("/public").text)
    assert mine in avatar_srcs(client.get("/settings/avatar").text)


@pytest.mark.step(23)
def test_the_picture_is_served_as_webp_cached_a_year(
    app, client, auth, avatars
):
    auth.signup("alice")
    upload(client, picture())
    response = client.get(f"/avatars/{avatar_name(app)}")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public
    assert response.cache_control.immutable
    assert response.data == (avatars / avatar_name(app)).read_bytes()


@pytest.mark.step(23)
@pytest.mark.parametrize(
    "name", ["nothing.webp", "..%2Fminitwit.sqlite", "%2Fetc%2Fpasswd"]
)
def test_only_stored_pictures_are_served(client, avatars, name):
    assert client.get(f"/avatars/{name}").status_code == 404


@pytest.mark.step(24)
def test_a_new_picture_replaces_the_old(app, client, auth, avatars):
    """The old file is deleted; the URL changes with the picture."""
    auth.signup("alice")
    upload(client, picture())
    first = avatar_name(app)
    upload(client, picture("JPEG"))
    second = avatar_name(app)
    assert second != first
    assert [path.name for path in avatars.iterdir()] == [second]
    assert client.get(f"/avatars/{first}").status_code == 404


@pytest.mark.step(24)
def test_removing_the_picture_brings_back_the_drawn_one(
    app, client, auth, avatars
):
    auth.signup("alice")
    upload(client, picture())
    page = Page(client.get("/settings/avatar").text)
    assert page.form_to("/settings/avatar/remove") is not None
    response = submit_form(
        client, "/settings/avatar/remove", form_url="/settings/avatar"
    )
    assert response.location == "/settings/avatar"
    assert avatar_name(app) is None
    assert list(avatars.iterdir()) == []
    assert "/avatar/alice.svg" in avatar_srcs(
        client.get("/settings/avatar").text
    )
    # Removing again (a second tab): nothing left to remove, no error.
    response = submit_form(
        client, "/settings/avatar/remove", form_url="/settings/avatar"
    )
    assert 300 <= response.status_code < 400


@pytest.mark.step(24)
def test_a_file_deleted_meanwhile_is_no_error(app, client, auth, avatars):
    auth.signup("alice")
    upload(client, picture())
    (avatars / avatar_name(app)).unlink()
    response = submit_form(
        client, "/settings/avatar/remove", form_url="/settings/avatar"
    )
    assert 300 <= response.status_code < 400
    assert avatar_name(app) is None


@pytest.mark.step(24)
def test_only_the_owner_changes_a_picture(app, client, auth, avatars):
    """There is no URL for someone else's picture: bob's upload and
    removal change bob's alone; a visitor is sent to log in."""
    auth.signup("alice")
    upload(client, picture())
    alices = avatar_name(app)
    auth.logout()
    for url in ("/settings/avatar", "/settings/avatar/remove"):
        response = client.post(url, data={"picture": (io.BytesIO(b""), "a")})
        assert response.status_code == 400  # no CSRF token
    response = submit_form(
        client, "/settings/avatar/remove", form_url="/login"
    )
    assert response.location.startswith("/login?next=")
    assert client.get("/settings/avatar").location.startswith("/login")
    auth.signup("bob")
    submit_form(client, "/settings/avatar/remove", form_url="/settings/avatar")
    assert upload(client, picture()).status_code < 400
    assert avatar_name(app) == alices
    assert (avatars / alices).exists()
    assert len(list(avatars.iterdir())) == 2


@pytest.mark.step(23)
def test_upload_needs_the_csrf_token(app, client, auth, avatars):
    auth.signup("alice")
    assert upload(client, picture(), token=False).status_code == 400
    assert avatar_name(app) is None
    assert list(avatars.iterdir()) == []


def jpeg_with_broken_exif() -> bytes:
    """A JPEG whose EXIF gives a tag of numbers (RowsPerStrip) a text:
    Pillow fails on it when it turns the picture upright."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make, a text
    exif[0x0112] = 6  # Orientation: to be turned
    broken = exif.tobytes().replace(b"\x01\x0f", b"\x01\x16")  # 278
    return picture("JPEG", exif=broken)


#: Uploads that are refused: the file name, what makes the content (when a
#: test runs, not when pytest collects), a word of the message.
BAD_UPLOADS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "no file": ("", lambda: b"", "choose a picture file"),
    "empty file": ("me.png", lambda: b"", "empty"),
    "not a picture": ("a.png", lambda: b"Dear diary, " * 20, "not a picture"),
    "HTML renamed .png": (
        "me.png",
        lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "markup",
    ),
    "SVG renamed .png": (
        "me.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "markup",
    ),
    "picture and script": (
        "me.png",
        lambda: picture() + b"<script>alert(1)</script>",
        "markup",
    ),
    "GIF header and script": (
        "me.gif",
        lambda: b"GIF89a/*\x00\x00*/=1;alert(1)//" + bytes(40),
        "not a picture",
    ),
    "broken EXIF": ("me.jpg", jpeg_with_broken_exif, "not a picture"),
    "BMP renamed .png": ("me.png", lambda: picture("BMP"), "not a picture"),
    "cut short": ("me.png", lambda: picture(size=(99, 99))[:-30], "not a"),
    "an SVG": ("me.svg", lambda: b"<svg/>", "choose a png"),
    "a program": ("me.exe", lambda: b"MZ" + bytes(100), "choose a png"),
    "30 million pixels": ("a.png", lambda: png_of(6000, 5000), "25 million"),
    "100 million pixels": (
        "a.png",
        lambda: png_of(10**4, 10**4),
        "25 million",
    ),
    "400 million pixels": (
        "a.png",
        lambda: png_of(20_000, 20_000),
        "25 million",
    ),
    "over 1 MB": ("a.png", lambda: picture() + bytes(10**6), "at most 1 mb"),
}


#: The uploads step 23 takes, which step 24 refuses.
REFUSED_FROM_STEP_24 = {"picture and script", "30 million pixels"}


@pytest.mark.step(23)
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.step(24))
        if case in REFUSED_FROM_STEP_24
        else case
        for case in BAD_UPLOADS
    ],
)
def test_bad_uploads_are_refused_nothing_stored(
    app, client, auth, avatars, case
):
    filename, make, _ = BAD_UPLOADS[case]
    auth.signup("alice")
    response = upload(client, make(), filename)
    assert response.status_code == 400
    assert "picture" in Page(response.text).fields()  # the form, again
    assert avatar_name(app) is None
    assert list(avatars.iterdir()) == []


@pytest.mark.finished
def test_bad_uploads_say_why(client, auth, avatars):
    """Each refused upload's message says what is wrong with the file."""
    auth.signup("alice")
    unexplained = [
        case
        for case, (filename, make, word) in BAD_UPLOADS.items()
        if word
        not in Page(upload(client, make(), filename).text).text().lower()
    ]
    assert unexplained == []


@pytest.mark.step(24)
def test_a_request_over_the_limit_gets_the_form_and_413(
    app, client, auth, avatars
):
    """A file past ``MAX_CONTENT_LENGTH`` (1 MiB): the whole request is
    refused before it is read, the form says why."""
    auth.signup("alice")
    response = upload(client, picture() + bytes(2_000_000), "big.png")
    assert response.status_code == 413
    assert "picture" in Page(response.text).fields()
    assert "1 MB" in response.text
    assert avatar_name(app) is None
    assert list(avatars.iterdir()) == []
    auth.logout()
    response = upload(client, bytes(2_000_000), token=False)
    assert response.status_code == 413
    assert "picture" not in Page(response.text).fields()  # an error page
