"""Exercise 1: a page for one post, for anyone to read."""

import pytest


def test_anyone_can_read_a_post(client):
    """GET /1 shows post 1 to a visitor who is not logged in."""
    response = client.get("/1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "test title" in page
    assert "by test" in page


def test_the_author_sees_the_edit_link(client, auth):
    """The author of the post gets a link to edit it."""
    auth.login()
    page = client.get("/1").get_data(as_text=True)
    assert 'href="/1/update"' in page


def test_others_do_not_see_the_edit_link(client, auth):
    """Anyone else reads the post without an edit link."""
    auth.login("other", "other-password")
    page = client.get("/1").get_data(as_text=True)
    assert 'href="/1/update"' not in page


@pytest.mark.parametrize("path", ["/2", "/99999999999999999999"])
def test_missing_post_is_404(client, path):
    """A post that does not exist is a 404, whatever its number."""
    assert client.get(path).status_code == 404


def test_index_links_each_post_to_its_page(client):
    """Each post on the index links to its own page."""
    page = client.get("/").get_data(as_text=True)
    assert 'href="/1"' in page
