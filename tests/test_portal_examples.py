"""The real portal: every example mounted, answering, with its own cookies."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, seeded_portal


@pytest.fixture
def portal(tmp_path):
    """The portal over the real examples, each on temporary data, demo data loaded."""
    return seeded_portal(tmp_path)


def test_landing_page_links_every_example(portal):
    html = portal.test_client().get("/").text
    for name in EXAMPLES:
        assert f'<a href="/{name}/">{name}</a>' in html


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_answers_under_its_own_prefix(portal, name):
    response = portal.test_client().get(f"/{name}/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.location.startswith(f"/{name}/")
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
