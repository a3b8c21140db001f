"""Templates and inheritance: the greeting page."""

import pytest

from hello.greeting import FRIENDS

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(7)


def test_greet_the_world(client):
    page = client.get("/greet/").get_data(as_text=True)
    assert "<h1>Hello, World!</h1>" in page
    assert "Greet the whole world" not in page


def test_greet_someone(client):
    page = client.get("/greet/Ada").get_data(as_text=True)
    assert "<h1>Hello, Ada!</h1>" in page
    assert '<a href="/greet/">Greet the whole world</a>' in page


def test_page_extends_base(client):
    """Blocks of base.html (navigation, footer) and of the layout are there."""
    page = client.get("/greet/Ada").get_data(as_text=True)
    assert "<title>Greetings · Flask showcase</title>" in page
    assert '<a href="/about">About</a>' in page
    assert "Hello, Flask: the first example" in page


@pytest.mark.parametrize("friend", FRIENDS)
def test_loop_links_to_each_friend(client, friend):
    page = client.get("/greet/").get_data(as_text=True)
    escaped = friend.replace("<", "&lt;").replace(">", "&gt;")
    assert f">{escaped}</a>" in page


def test_friend_with_tags_is_escaped(client):
    page = client.get("/greet/Bobby <Tables>").get_data(as_text=True)
    assert "<Tables>" not in page
    assert "<h1>Hello, Bobby &lt;Tables&gt;!</h1>" in page
