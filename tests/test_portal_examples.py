"""The real portal: every example mounted, answering, with its own cookies."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, seeded_portal


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The portal over the real examples, on temporary data, seeded.

    One for the module: its tests only read pages and settings, and seeding
    again changes nothing (``test_demo_data_is_loaded_once``).
    """
    return seeded_portal(tmp_path_factory.mktemp("portal"))


def test_landing_page_lists_the_examples_in_learning_order(portal):
    html = portal.test_client().get("/").text
    assert 'Start with\n    <a href="/hello/">hello</a>' in html
    order = ["hello", "flaskr", "minitwit"]
    links = [f'<a href="/{name}/">{name}</a></h2>' for name in order]
    places = [html.index(link) for link in links]
    assert places == sorted(places)


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_links_back_to_the_portal_and_its_chapter(portal, name):
    """Issue 8: every example page, served in the portal, links back."""
    client = portal.test_client()
    response = client.get(f"/{name}/", follow_redirects=True)
    assert response.status_code == 200
    assert '<nav class="portal-bar" aria-label="Flask showcase">' in (
        response.text
    )
    assert '<a href="/">All examples</a>' in response.text
    assert f'<a href="/docs/{name}/index.html">' in response.text


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_answers_under_its_own_prefix(portal, name):
    response = portal.test_client().get(f"/{name}/")
    if 300 <= response.status_code < 400:
        assert response.location.startswith(f"/{name}/")
    else:
        assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_keeps_its_cookies_to_itself(portal, name):
    (example,) = [
        e for e in portal.extensions["showcase_portal"] if e.name == name
    ]
    assert example.app.config["SESSION_COOKIE_NAME"] == f"{name}_session"
    assert example.app.config["SESSION_COOKIE_PATH"] == f"/{name}"


def test_demo_data_is_loaded_once(portal):
    for example in portal.extensions["showcase_portal"]:
        if "seed" in example.app.cli.commands:
            again = example.app.test_cli_runner().invoke(args=["seed"])
            assert again.exit_code == 0
            assert "already" in again.output.lower()
