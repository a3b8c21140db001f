"""Exercise 2: fix the debugger page."""

from conftest import links, shows


def test_debugger_page_shows_the_last_example(app, client):
    """In debug mode, /debugger works and names the last example."""
    app.config["DEBUG"] = True
    response = client.get("/debugger")
    assert response.status_code == 200
    assert shows(response, "minitwit")


def test_debugger_page_is_still_in_the_lessons(client):
    """The start page still links to the debugger page."""
    assert "/debugger" in links(client.get("/"))
