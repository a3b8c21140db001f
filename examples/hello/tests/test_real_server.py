"""hello under a real WSGI server (waitress), as it runs in production.

The test client calls the app directly; a real server also turns the
request into text and back, so the few checks here go through one.
"""

import http.client
import threading

import pytest
from waitress.server import create_server

import hello

#: The build-along step that makes these tests pass (steps/hello). A real
#: server is slow to start: `pytest` leaves these tests out, `pytest -m slow`
#: runs them (`nox -s test-hello` runs both).
pytestmark = [pytest.mark.step(3), pytest.mark.slow]


@pytest.fixture(scope="module")
def server_port():
    """Start waitress on a free port once for this module; stop it after."""
    server = create_server(hello.app, host="127.0.0.1", port=0, threads=1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    # Closed from the server's own thread, never under its feet.
    server.trigger.pull_trigger(server.close)
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive()


@pytest.fixture
def get(app, server_port):
    """GET a path from the server, with hello set up as in production."""
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def get(path: str) -> tuple[int, str]:
        """Return the status and the page of ``path``."""
        connection = http.client.HTTPConnection("127.0.0.1", server_port)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    return get


def test_add(get):
    status, page = get("/add/-2/40")
    assert status == 200
    assert "<h1>-2 + 40 = 38</h1>" in page


@pytest.mark.step(12)
@pytest.mark.parametrize("digits", [13, 4300, 5000])
def test_add_with_huge_numbers_is_a_404(get, digits):
    """Never a 500, even where Python cannot write the sum out."""
    status, page = get(f"/add/{'9' * digits}/{'9' * digits}")
    assert status == 404
    assert "<h1>Page not found</h1>" in page
    if digits <= 4300:
        assert f"/add takes numbers up to {hello.ADD_LIMIT:,}." in page


@pytest.mark.step(4)
def test_debugger_page_is_404_in_production(get):
    """The page that fails on purpose is not served without debug mode."""
    status, _ = get("/debugger")
    assert status == 404
