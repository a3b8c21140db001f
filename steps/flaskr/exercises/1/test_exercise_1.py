"""Exercise 1: a page for one post, for anyone to read."""

import pytest
from html_page import Page


def test_anyone_can_read_a_post(client):
    """GET /1 shows post 1 to a visitor who is not logged in."""
    response = client.get("/1")
    assert response.status_code == 200
    shown = Page(response.get_data(as_text=True)).text()
    assert "test title" in shown
    assert "test body" in shown
    # The author's name, besides the title and body that hold "test" too.
    others = shown.replace("test title", "").replace("test body", "")
    assert "test" in others.split()


def test_the_author_sees_the_edit_link(client, auth):
    """The author of the post gets a link to edit it."""
    auth.login()
    page = Page(client.get("/1").get_data(as_text=True))
    assert "/1/update" in page.hrefs()


def test_others_do_not_see_the_edit_link(client, auth):
    """Anyone else reads the post without an edit link."""
    auth.login("other", "other-password")
    page = Page(client.get("/1").get_data(as_text=True))
    assert "/1/update" not in page.hrefs()


@pytest.mark.parametrize("path", ["/2", "/99999999999999999999"])
def test_missing_post_is_404(client, path):
    """A post that does not exist is a 404, whatever its number."""
    assert client.get(path).status_code == 404


def test_index_links_each_post_to_its_page(client):
    """Each post on the index links to its own page."""
    page = Page(client.get("/").get_data(as_text=True))
    assert "/1" in page.hrefs()
