"""Redirects and errors: a moved page, abort(404) and abort(403)."""

import pytest
from markupsafe import escape

from hello.redirects import NOTES

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(12)


def test_overview_links(client):
    page = client.get("/redirects").get_data(as_text=True)
    assert 'href="/old-about"' in page
    for note_id in [*NOTES, 99]:
        assert f'href="/notes/{note_id}"' in page
    assert 'href="/staff-only"' in page
    assert 'href="/debugger"' in page


def test_old_about_redirects_for_good(client):
    """The exact status is the lesson: 301 says the page moved for good."""
    response = client.get("/old-about")
    assert response.status_code == 301
    assert response.location == "/about"


def test_following_the_redirect(client):
    response = client.get("/old-about", follow_redirects=True)
    assert response.status_code == 200
    assert [r.location for r in response.history] == ["/about"]
    assert "<h1>About</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(("note_id", "text"), NOTES.items())
def test_note(client, note_id, text):
    response = client.get(f"/notes/{note_id}")
    assert response.status_code == 200
    assert str(escape(text)) in response.get_data(as_text=True)


@pytest.mark.parametrize("note_id", [0, 4, 99])
def test_missing_note_gives_hellos_404(client, note_id):
    response = client.get(f"/notes/{note_id}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in page
    assert f"There is no note number {note_id}." in page


def test_staff_only_gives_the_shared_403(client):
    response = client.get("/staff-only")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "<h1>403 Forbidden</h1>" in page
    assert "This page is for staff only." in page
