"""URL building: the page shows what url_for builds, and every URL works."""

import pytest
from conftest import main_links

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(5)


@pytest.mark.step(9)
def test_url_building_page(client):
    """The page shows, as links, the URLs its listing builds."""
    response = client.get("/url-building")
    assert response.status_code == 200
    for url in [
        "/about",
        "/capitalize/flask",
        "/add/-2/40",
        "/request?q=cats+%26+dogs",
        "/static/hello.css",
    ]:
        assert url in built_urls(client)


def built_urls(client):
    """The URLs the page shows: its links that show their own URL."""
    response = client.get("/url-building")
    return [href for href, text in main_links(response) if href == text]


@pytest.mark.step(9)
def test_url_building_shows_six_urls(client):
    """One URL for each of the six url_for calls of the listing."""
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
    response = app.test_client().get(
        "/url-building", base_url="http://localhost/hello/"
    )
    assert "/hello/capitalize/flask" in [
        href for href, _ in main_links(response)
    ]
