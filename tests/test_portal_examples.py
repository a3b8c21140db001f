"""The real portal: every example mounted, answering, with its own cookies."""

from __future__ import annotations

import pytest

from showcase.portal import create_app

from .conftest import EXAMPLES, ROOT


@pytest.fixture
def portal(tmp_path):
    """The portal over the real examples, each on temporary data, demo data loaded."""
    test_configs = {
        name: {
            "TESTING": True,
            "SECRET_KEY": "portal-test-secret-key",
            "DATABASE": str(tmp_path / f"{name}.sqlite"),
            "UPLOAD_FOLDER": str(tmp_path / f"{name}-uploads"),
        }
        for name in EXAMPLES
    }
    portal = create_app(ROOT, test_configs)
    for example in portal.extensions["showcase_portal"]:
        if "seed" in example.app.cli.commands:
            result = example.app.test_cli_runner().invoke(args=["seed"])
            assert result.exit_code == 0, result.output
    return portal


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
    (example,) = [e for e in portal.extensions["showcase_portal"] if e.name == name]
    assert example.app.config["SESSION_COOKIE_NAME"] == f"{name}_session"
    assert example.app.config["SESSION_COOKIE_PATH"] == f"/{name}"


def test_demo_data_is_loaded_once(portal):
    for example in portal.extensions["showcase_portal"]:
        if "seed" in example.app.cli.commands:
            again = example.app.test_cli_runner().invoke(args=["seed"])
            assert again.exit_code == 0
            assert "already" in again.output.lower()
