"""Fixtures for the repository-level tests."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from flask import Flask

from showcase_portal import create_app

#: hello's app is built when it is imported, with its key from the
#: environment: outside ``flask run --debug`` it needs a real one.
os.environ.setdefault("FLASK_SECRET_KEY", "repository-tests-secret-key")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    path.parent.name for path in ROOT.glob("examples/*/pyproject.toml")
)

# The installed examples, imported before any test module can put a folder
# of the same name (steps/hello, a namespace package) first on sys.path.
for _name in EXAMPLES:
    importlib.import_module(_name)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's top folder."""
    return ROOT


def seeded_portal(data_dir: Path, *, testing: bool = True) -> Flask:
    """The portal over the real examples, on data in ``data_dir``, seeded.

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
