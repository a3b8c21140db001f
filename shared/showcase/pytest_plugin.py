"""pytest fixtures every example's tests can use, loaded automatically.

``pip install`` of the showcase package registers this module as a pytest
plugin (see ``shared/pyproject.toml``), so an example's ``conftest.py`` defines
only its ``app`` fixture, and ``client`` and ``runner`` come from here.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: a browser that talks to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, such as ``init-db``."""
    return app.test_cli_runner()
