"""Dynamic routes: a word and two numbers from the URL."""

import pytest

from hello import ADD_LIMIT

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(3)


@pytest.mark.parametrize(
    ("word", "heading"),
    [("flask", "Flask"), ("hELLO", "Hello"), ("élan", "Élan"), ("42", "42")],
)
def test_capitalize(client, word, heading):
    response = client.get(f"/capitalize/{word}")
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("word", ["<script>", "<b>bold<", '"onmouseover="x'])
def test_capitalize_escapes_html(client, word):
    """Whatever is in the URL is shown as text, never obeyed as HTML."""
    page = client.get(f"/capitalize/{word}").get_data(as_text=True)
    assert word not in page
    assert (
        word.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
        in page
    )


def test_capitalize_script_is_not_injected(client):
    page = client.get("/capitalize/<script>").get_data(as_text=True)
    assert "<script>" not in page
    assert "<h1>&lt;script&gt;</h1>" in page


@pytest.mark.parametrize(
    ("n1", "n2", "total"),
    [
        (1, 2, 3),
        (-3, 5, 2),
        (5, -7, -2),
        (-4, -6, -10),
        (0, 0, 0),
        (10**12, 1, 10**12 + 1),
    ],
)
def test_add(client, n1, n2, total):
    response = client.get(f"/add/{n1}/{n2}")
    assert response.status_code == 200
    assert f"<h1>{n1} + {n2} = {total}</h1>" in response.get_data(as_text=True)


@pytest.mark.step(12)
@pytest.mark.parametrize(
    "path",
    [
        "/add/x/1",
        "/add/1/x",
        "/add/1.5/2",
        "/add/1/",
        "/add/--1/2",
        "/add/+1/2",
    ],
)
def test_add_needs_two_whole_numbers(client, path):
    """Anything but two whole numbers gives hello's own 404 page, not a 500."""
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("n1", [ADD_LIMIT, -ADD_LIMIT])
def test_add_up_to_the_limit(client, n1):
    response = client.get(f"/add/{n1}/{n1}")
    assert response.status_code == 200
    assert f"= {2 * n1}</h1>" in response.get_data(as_text=True)


@pytest.mark.step(12)
@pytest.mark.parametrize(
    "path",
    [
        f"/add/{ADD_LIMIT + 1}/0",
        f"/add/0/-{ADD_LIMIT + 1}",
        # Python cannot write out the sum of these (4301 digits).
        f"/add/{'9' * 4300}/{'9' * 4300}",
        f"/add/-{'9' * 4300}/1",
        # Nor read a number of more than 4300 digits.
        f"/add/{'9' * 5000}/1",
    ],
)
def test_add_refuses_huge_numbers(client, path):
    """Numbers beyond the limit get hello's 404 page, saying the limit."""
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in page
    if "9" * 5000 not in path:
        assert f"/add takes numbers up to {ADD_LIMIT:,}." in page
