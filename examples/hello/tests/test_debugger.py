"""The debugger lesson: a deliberate bug, a traceback only while debugging."""

import pytest

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(4)


@pytest.mark.step(12)
def test_bug_gives_the_500_page(app, client):
    """As in production (exceptions not propagated): no traceback."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/debugger")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1>Something went wrong</h1>" in page
    assert "Traceback" not in page
    assert "IndexError" not in page
    assert "EXAMPLES" not in page


def test_bug_raises_while_debugging(app, client):
    """With debug on, the error reaches the debugger (here: the test)."""
    app.config.update(TESTING=False, DEBUG=True)
    assert app.debug
    with pytest.raises(IndexError):
        client.get("/debugger")


def test_bug_raises_in_tests(client):
    """TESTING also lets the error through, so a test sees the real bug."""
    with pytest.raises(IndexError, match="list index out of range"):
        client.get("/debugger")
