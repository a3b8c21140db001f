"""First steps: the start page, its links and the about page."""

import pytest
from conftest import links, shows
from flask import url_for

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(1)

#: Every lesson the start page must link to: endpoint, url_for arguments,
#: and the step that adds the lesson.
LESSONS = [
    pytest.param("about", {}, marks=pytest.mark.step(2)),
    pytest.param("capitalize", {"word": "flask"}, marks=pytest.mark.step(3)),
    pytest.param("add", {"n1": 5, "n2": -7}, marks=pytest.mark.step(3)),
    pytest.param("debugger", {}, marks=pytest.mark.step(4)),
    pytest.param("url_building", {}, marks=pytest.mark.step(5)),
    pytest.param("greet_form", {}, marks=pytest.mark.step(6)),
    pytest.param("greet", {}, marks=pytest.mark.step(7)),
    pytest.param("static_files", {}, marks=pytest.mark.step(8)),
    pytest.param("request_data", {"q": "hello"}, marks=pytest.mark.step(9)),
    pytest.param("cookies", {}, marks=pytest.mark.step(10)),
    pytest.param("visits", {}, marks=pytest.mark.step(11)),
    pytest.param("redirects", {}, marks=pytest.mark.step(12)),
    pytest.param("flashing", {}, marks=pytest.mark.step(13)),
    pytest.param("uploads", {}, marks=pytest.mark.step(14)),
]


def test_index_says_hello(client):
    """The start page greets the world."""
    response = client.get("/")
    assert response.status_code == 200
    assert shows(response, "Hello, World!")


@pytest.mark.parametrize(("endpoint", "args"), LESSONS)
def test_index_links_to_each_lesson(app, client, endpoint, args):
    """The start page links to every lesson."""
    with app.test_request_context():
        href = url_for(endpoint, **args)
    assert href in links(client.get("/"))


@pytest.mark.step(2)
def test_about(client):
    """The about page is there, and says it is."""
    response = client.get("/about")
    assert response.status_code == 200
    assert shows(response, "About")
