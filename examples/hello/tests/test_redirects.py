"""Redirects and errors: a moved page, abort(404) and abort(403)."""

import pytest
from conftest import is_hellos_404, links, page_text, shows, words

#: The notes of the lesson, as its listing has them.
NOTES = {
    1: "A route maps a URL to a view function.",
    2: "url_for builds a URL from a view's endpoint name.",
    3: "abort stops a request with an HTTP error.",
}

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(12)


def test_overview_links(client):
    """The overview links to each example of the lesson."""
    found = links(client.get("/redirects"))
    assert "/old-about" in found
    for note_id in [*NOTES, 99]:
        assert f"/notes/{note_id}" in found
    assert "/staff-only" in found
    assert "/debugger" in found


def test_old_about_redirects_for_good(client):
    """The exact status is the lesson: 301 says the page moved for good."""
    response = client.get("/old-about")
    assert response.status_code == 301
    assert response.location == "/about"


def test_following_the_redirect(client):
    response = client.get("/old-about", follow_redirects=True)
    assert response.status_code == 200
    assert [r.location for r in response.history] == ["/about"]
    assert shows(response, "About")


@pytest.mark.parametrize(("note_id", "text"), NOTES.items())
def test_note(client, note_id, text):
    response = client.get(f"/notes/{note_id}")
    assert response.status_code == 200
    assert shows(response, text)


@pytest.mark.parametrize("note_id", [0, 4, 99])
def test_missing_note_gives_hellos_404(client, note_id):
    """hello's 404 page, saying which note is missing."""
    response = client.get(f"/notes/{note_id}")
    assert is_hellos_404(response)
    assert str(note_id) in words(page_text(response))


def test_staff_only_gives_the_shared_403(client):
    """403, on the shared page, saying why."""
    response = client.get("/staff-only")
    assert response.status_code == 403
    assert shows(response, "403 Forbidden", "staff")
