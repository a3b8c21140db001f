"""The ``app`` fixture: hello configured for tests, with uploads under ``tmp_path``.

``client`` and ``runner`` come from the shared pytest plugin (showcase.pytest_plugin).
CSRF protection stays on: tests post forms with ``showcase.testing.submit_form``,
which reads the token from the page like a browser.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from hello import create_app
from showcase.testing import csrf_token


@pytest.fixture
def upload_folder(tmp_path):
    """Where the test app saves uploads: ``instance/uploads`` under ``tmp_path``."""
    return tmp_path / "instance" / "uploads"


@pytest.fixture
def app(upload_folder) -> Flask:
    """The hello app in testing mode, with its own empty upload folder."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "UPLOAD_FOLDER": str(upload_folder),
        }
    )


@pytest.fixture
def post_multipart(client):
    """Post a multipart form with its CSRF token, the body encoded in memory.

    For large bodies Werkzeug's test client spools the form to a temporary
    file it never closes (a ResourceWarning); encoding it first avoids that.
    """

    def post(url: str, data: dict) -> TestResponse:
        """POST ``data`` to ``url``; a ``(filename, bytes)`` value is sent as a file."""
        token = csrf_token(client.get(url))
        fields = {
            key: FileStorage(io.BytesIO(value[1]), filename=value[0])
            if isinstance(value, tuple)
            else value
            for key, value in data.items()
        }
        boundary, body = encode_multipart({**fields, "csrf_token": token})
        return client.post(
            url,
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    return post
