"""Fixtures for the repository-level tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from showcase.portal import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    path.parent.name for path in ROOT.glob("examples/*/pyproject.toml")
)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's top folder."""
    return ROOT


def seeded_portal(data_dir: Path, *, testing: bool = True) -> Flask:
    """The portal over the real examples, each on data in ``data_dir``, demo data loaded.

    ``testing=False`` runs the examples as in production: an exception becomes
    the 500 page a visitor would see, instead of reaching the test.
    """
    test_configs = {
        name: {
            "TESTING": testing,
            "SECRET_KEY": "repository-tests-secret-key",
            "DATABASE": str(data_dir / f"{name}.sqlite"),
            "UPLOAD_FOLDER": str(data_dir / f"{name}-uploads"),
        }
        for name in EXAMPLES
    }
    portal = create_app(ROOT, test_configs)
    for example in portal.extensions["showcase_portal"]:
        if "seed" in example.app.cli.commands:
            result = example.app.test_cli_runner().invoke(args=["seed"])
            assert result.exit_code == 0, result.output
    return portal
