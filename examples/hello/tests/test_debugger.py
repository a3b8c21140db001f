"""The debugger lesson: a deliberate bug, a traceback only while debugging."""

from __future__ import annotations

import pytest

from hello import create_app


def test_bug_gives_the_500_page(upload_folder):
    """As in production (exceptions not propagated): hello's 500 page, no traceback."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "PROPAGATE_EXCEPTIONS": False,
            "UPLOAD_FOLDER": str(upload_folder),
        }
    )
    response = app.test_client().get("/debugger")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1>Something went wrong</h1>" in page
    assert "Traceback" not in page
    assert "IndexError" not in page
    assert "EXAMPLES" not in page


def test_bug_raises_while_debugging(upload_folder):
    """With debug on, the error reaches the debugger (here: the test) as it is."""
    app = create_app(
        {
            "DEBUG": True,
            "SECRET_KEY": "test",
            "UPLOAD_FOLDER": str(upload_folder),
        }
    )
    assert app.debug
    with pytest.raises(IndexError):
        app.test_client().get("/debugger")


def test_bug_raises_in_tests(client):
    """TESTING also lets the error through, so a test sees the real bug."""
    with pytest.raises(IndexError, match="list index out of range"):
        client.get("/debugger")
