"""The debugger lesson: a deliberate bug, there only in debug mode."""

import logging

import pytest
from conftest import is_hellos_404, shows

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(4)


def test_bug_raises_while_debugging(app, client):
    """With debug on, the error reaches the debugger (here: the test)."""
    app.config.update(TESTING=False, DEBUG=True)
    assert app.debug
    with pytest.raises(IndexError, match="list index out of range"):
        client.get("/debugger")


def test_page_is_not_there_in_production(app, client, caplog):
    """Without debug mode, /debugger is 404: however often a stranger asks
    for it, no traceback reaches the log."""
    app.config.update(TESTING=False, DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            assert client.get("/debugger").status_code == 404
    assert caplog.records == []


def test_page_is_not_there_in_testing_mode_either(client):
    """Testing mode is not debug mode: the tests see what production does."""
    assert client.get("/debugger").status_code == 404


@pytest.mark.step(12)
def test_production_404_says_why(app, client):
    """hello's own 404 page says why the page is not there."""
    response = client.get("/debugger")
    assert is_hellos_404(response)
    assert shows(response, "debug mode")


@pytest.mark.step(12)
def test_bug_gives_the_500_page(app, client):
    """In debug mode, with exceptions not propagated: hello's 500 page, as a
    visitor would get it, with no traceback."""
    app.config.update(DEBUG=True, PROPAGATE_EXCEPTIONS=False)
    response = client.get("/debugger")
    assert response.status_code == 500
    assert shows(response, "Something went wrong")
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "IndexError" not in page
    assert "EXAMPLES" not in page
