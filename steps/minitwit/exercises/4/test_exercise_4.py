"""Exercise 4: a picture that is not square, fitted or cropped."""

import io
from pathlib import Path

import pytest
from conftest import sql
from html_page import Page
from PIL import Image

from showcase.testing import submit_form

#: The form that uploads the logged-in user's picture.
URL = "/settings/avatar"


@pytest.fixture
def avatars(app) -> Path:
    """The folder of the uploaded pictures, empty."""
    folder = Path(app.config["AVATAR_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    return folder


def stripes(tall: bool = False) -> bytes:
    """A 300 x 200 PNG: red, with a blue stripe 50 pixels wide at the left
    and a green one at the right. ``tall``: turned, 200 x 300, blue at
    the bottom and green at the top."""
    image = Image.new("RGB", (300, 200), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 50, 200))
    image.paste((0, 160, 0), (250, 0, 300, 200))
    if tall:
        image = image.transpose(Image.Transpose.ROTATE_90)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def upload(client, shape=None, tall=False):
    """Upload the striped picture, choosing ``shape`` if it is given."""
    data = {"picture": (io.BytesIO(stripes(tall)), "stripes.png")}
    if shape is not None:
        data["shape"] = shape
    return submit_form(client, URL, data)


def avatar_name(app):
    """The name of alice's stored picture, as the database says."""
    (row,) = sql(app, "SELECT avatar_name FROM account")
    return row["avatar_name"]


def stored(app, avatars, tall=False):
    """Alice's stored picture, 256 x 256, turned back if ``tall``."""
    with Image.open(avatars / avatar_name(app)) as image:
        assert image.size == (256, 256)
        image = image.convert("RGBA")
    if tall:
        image = image.transpose(Image.Transpose.ROTATE_270)
    return image


def seen(image, x, y):
    """What the picture shows at ``(x, y)``: "transparent", or the colour
    of the stripes nearest to it ("red", "green" or "blue")."""
    red, green, blue, alpha = image.getpixel((x, y))
    if alpha < 128:
        return "transparent"
    shades = {"red": red, "green": green, "blue": blue}
    return max(shades, key=shades.__getitem__)


def test_the_form_offers_the_choice(client, auth):
    """The picture form has a ``shape`` field next to ``picture``."""
    auth.signup()
    form = Page(client.get(URL).text).form_with("picture")
    assert "shape" in form


@pytest.mark.parametrize("tall", [False, True], ids=["wide", "tall"])
def test_fit_keeps_the_whole_picture(app, client, auth, avatars, tall):
    """``shape=fit``: the whole picture, with transparent sides where it
    does not fill the square."""
    auth.signup()
    response = upload(client, "fit", tall)
    assert 300 <= response.status_code < 400  # a redirect
    image = stored(app, avatars, tall)
    assert seen(image, 128, 128) == "red"
    assert seen(image, 4, 128) == "blue"
    assert seen(image, 251, 128) == "green"
    for corner in [(2, 2), (253, 2), (2, 253), (253, 253)]:
        assert seen(image, *corner) == "transparent", corner
    assert seen(image, 128, 10) == "transparent"
    assert seen(image, 128, 245) == "transparent"


@pytest.mark.parametrize("tall", [False, True], ids=["wide", "tall"])
def test_crop_fills_the_square_from_the_middle(
    app, client, auth, avatars, tall
):
    """``shape=crop``: the square is full, cut from the middle of the
    picture: the stripes at both ends are cut off."""
    auth.signup()
    response = upload(client, "crop", tall)
    assert 300 <= response.status_code < 400  # a redirect
    image = stored(app, avatars, tall)
    for point in [(128, 128), (4, 128), (251, 128), (128, 4), (128, 251)]:
        assert seen(image, *point) == "red", point
    for corner in [(2, 2), (253, 2), (2, 253), (253, 253)]:
        assert seen(image, *corner) == "red", corner


def test_fit_is_the_default(app, client, auth, avatars):
    """Without a ``shape``, the picture is fitted, as before."""
    auth.signup()
    response = upload(client)
    assert 300 <= response.status_code < 400  # a redirect
    image = stored(app, avatars)
    assert seen(image, 4, 128) == "blue"
    assert seen(image, 128, 10) == "transparent"


@pytest.mark.parametrize(
    "shape", ["circle", "", "CROP"], ids=["circle", "empty", "CROP"]
)
def test_another_shape_is_refused_nothing_stored(
    app, client, auth, avatars, shape
):
    """A ``shape`` the form does not offer: the form again, a 400, and no
    picture stored."""
    auth.signup()
    response = upload(client, shape)
    assert response.status_code == 400
    assert "picture" in Page(response.text).fields()  # the form, again
    assert avatar_name(app) is None
    assert list(avatars.iterdir()) == []
