"""Exercise 3: hello's own page for 405 Method Not Allowed."""

import pytest
from conftest import links, page_text, words


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/about", ["GET", "HEAD", "OPTIONS"]),
        ("delete", "/methods", ["GET", "HEAD", "OPTIONS", "POST"]),
    ],
)
def test_405_page_lists_the_allowed_methods(client, method, path, allowed):
    """A wrong method gets hello's 405 page, listing the methods allowed."""
    response = getattr(client, method)(path)
    assert response.status_code == 405
    shown = words(page_text(response))
    for name in allowed:
        assert name in shown


def test_405_keeps_the_allow_header(client):
    """The response still says in its Allow header what the URL takes."""
    response = client.post("/about")
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_405_page_has_hellos_layout(client):
    """The page extends base.html: hello's navigation is there."""
    assert "/about" in links(client.post("/about"))
