"""Exercise 1: multiply two numbers from the URL, decimals included."""

import pytest
from conftest import is_hellos_404, links, page_text, words


@pytest.mark.parametrize(
    ("path", "product"),
    [
        ("/multiply/6/7", "42"),
        ("/multiply/-3/5", "-15"),
        ("/multiply/1.5/2", "3"),
        ("/multiply/-0.5/0.5", "-0.25"),
    ],
)
def test_multiply(client, path, product):
    """/multiply/N1/N2 shows the product of two numbers, decimals too."""
    response = client.get(path)
    assert response.status_code == 200
    assert product in words(page_text(response))


@pytest.mark.parametrize(
    "path",
    [
        "/multiply/x/2",
        "/multiply/2/",
        "/multiply/nan/1",
        "/multiply/inf/2",
        "/multiply/1e200/1e200",
    ],
)
def test_multiply_needs_two_numbers(client, path):
    """Anything but two numbers with a finite product gives hello's 404."""
    assert is_hellos_404(client.get(path))


def test_index_links_to_multiply(client):
    """The start page links to a /multiply/ page."""
    found = links(client.get("/"))
    assert any(href.startswith("/multiply/") for href in found)
