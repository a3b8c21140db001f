"""Templates and inheritance: the greeting page."""

import re

import pytest
from conftest import links, main_links, shows

#: The friends the greeting page lists, as its listing has them.
FRIENDS = ["Ada", "Grace", "Guido", "Bobby <Tables>"]

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(7)


def test_greet_the_world(client):
    """Without a name, the page greets the world, and links to no world."""
    response = client.get("/greet/")
    assert response.status_code == 200
    assert shows(response, "Hello, World!")
    assert "/greet/" not in [href for href, _ in main_links(response)]


def test_greet_someone(client):
    """With a name, the page greets it, and links to greet the world."""
    response = client.get("/greet/Ada")
    assert response.status_code == 200
    assert shows(response, "Hello, Ada!")
    assert "/greet/" in [href for href, _ in main_links(response)]


def test_page_extends_base(client):
    """The page is in the layout: its title and hello's navigation."""
    response = client.get("/greet/Ada")
    page = response.get_data(as_text=True)
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.DOTALL)
    assert "Flask showcase" in title
    assert "/about" in links(response)


@pytest.mark.parametrize("friend", FRIENDS)
def test_loop_links_to_each_friend(client, friend):
    """Each friend is a link, showing the friend's name."""
    response = client.get("/greet/")
    assert friend in [text for _, text in main_links(response)]


def test_friend_with_tags_is_escaped(client):
    """A name with tags is shown as text, never obeyed as HTML."""
    response = client.get("/greet/Bobby <Tables>")
    assert "<Tables>" not in response.get_data(as_text=True)
    assert shows(response, "Hello, Bobby <Tables>!")
