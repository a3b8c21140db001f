"""First steps: hello world, the about page, and the dynamic routes."""

from __future__ import annotations

import pytest
from flask import url_for

#: Every lesson the start page must link to, as (endpoint, url_for arguments).
LESSONS = [
    ("routes.about", {}),
    ("routes.capitalize", {"word": "flask"}),
    ("routes.add", {"n1": 5, "n2": -7}),
    ("debugger.broken", {}),
    ("urls.url_building", {}),
    ("methods.greet_form", {}),
    ("greeting.greet", {}),
    ("static_files.show", {}),
    ("request_data.show", {"q": "hello"}),
    ("cookies.show", {}),
    ("sessions.visits", {}),
    ("redirects.overview", {}),
    ("flashing.form", {}),
    ("uploads.index", {}),
]


def test_index_says_hello(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Hello, World!</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(("endpoint", "args"), LESSONS)
def test_index_links_to_each_lesson(app, client, endpoint, args):
    page = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        href = url_for(endpoint, **args).replace("&", "&amp;")
    assert f'href="{href}"' in page


def test_about(client):
    response = client.get("/about")
    assert response.status_code == 200
    assert "<h1>About</h1>" in response.get_data(as_text=True)


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
