"""URL building: the page shows what url_for builds, and every URL works."""

import re

import pytest

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(5)


@pytest.mark.step(9)
def test_url_building_page(client):
    response = client.get("/url-building")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for url in [
        "/about",
        "/capitalize/flask",
        "/add/-2/40",
        "/request?q=cats+%26+dogs",
        "/static/hello.css",
    ]:
        assert f">{url.replace('&', '&amp;')}</a>" in page


def built_urls(client):
    """The links of the URL-building table."""
    page = client.get("/url-building").get_data(as_text=True)
    return [
        href.replace("&amp;", "&")
        for href in re.findall(r'<td><a href="([^"]+)"', page)
    ]


@pytest.mark.step(9)
def test_url_building_shows_six_urls(client):
    assert len(built_urls(client)) == 6


@pytest.mark.parametrize(
    "index", [*range(5), pytest.param(5, marks=pytest.mark.step(9))]
)
def test_every_built_url_works(client, index):
    """Each URL url_for built leads to a page that exists."""
    response = client.get(built_urls(client)[index])
    assert response.status_code == 200
    response.close()


def test_urls_follow_the_mount_point(app):
    """Mounted under /hello (as the portal does), url_for adds the prefix."""
    page = app.test_client().get(
        "/url-building", base_url="http://localhost/hello/"
    )
    assert ">/hello/capitalize/flask</a>" in page.get_data(as_text=True)
