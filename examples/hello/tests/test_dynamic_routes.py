"""Dynamic routes: a word and two numbers from the URL."""

import pytest
from conftest import is_hellos_404, page_text, shows, words

#: The biggest number /add takes: "a million million", as the page says.
ADD_LIMIT = 10**12

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(3)


@pytest.mark.parametrize(
    ("word", "heading"),
    [("flask", "Flask"), ("hELLO", "Hello"), ("élan", "Élan"), ("42", "42")],
)
def test_capitalize(client, word, heading):
    """The page shows the word from the URL with a capital first letter."""
    response = client.get(f"/capitalize/{word}")
    assert response.status_code == 200
    assert heading in words(page_text(response))


@pytest.mark.parametrize("word", ["<script>", "<b>bold<", '"onmouseover="x'])
def test_capitalize_escapes_html(client, word):
    """Whatever is in the URL is shown as text, never obeyed as HTML."""
    response = client.get(f"/capitalize/{word}")
    assert word not in response.get_data(as_text=True)
    assert word in page_text(response)


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
    """The page shows the sum of the two numbers of the URL."""
    response = client.get(f"/add/{n1}/{n2}")
    assert response.status_code == 200
    assert str(total) in words(page_text(response))


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
    assert is_hellos_404(client.get(path))


@pytest.mark.parametrize("n1", [ADD_LIMIT, -ADD_LIMIT])
def test_add_up_to_the_limit(client, n1):
    """The limit itself is still added up."""
    response = client.get(f"/add/{n1}/{n1}")
    assert response.status_code == 200
    assert str(2 * n1) in words(page_text(response))


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
    assert is_hellos_404(response)
    if "9" * 5000 not in path:
        assert shows(response, f"{ADD_LIMIT:,}") or shows(
            response, str(ADD_LIMIT)
        )
