"""Static files: hello's stylesheet and picture, served by the app."""

import pytest
from conftest import images

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(1)


@pytest.mark.step(8)
def test_static_files_page(client):
    """The page shows hello.svg from the static folder, with a text for
    those who cannot see it."""
    response = client.get("/static-files")
    assert response.status_code == 200
    pictures = [
        image for image in images(response)
        if image.get("src") == "/static/hello.svg"
    ]  # fmt: skip
    assert pictures
    assert all(image.get("alt") for image in pictures)


@pytest.mark.parametrize(
    ("filename", "mimetype", "content"),
    [
        ("hello.css", "text/css", b".swatch"),
        ("hello.svg", "image/svg+xml", b"<svg"),
    ],
)
def test_static_file_is_served(client, filename, mimetype, content):
    response = client.get(f"/static/{filename}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert content in response.data
    response.close()


def test_missing_static_file(client):
    assert client.get("/static/nope.css").status_code == 404
