"""Error pages: hello's own 404; the shared page for the rest."""

import pytest
from conftest import is_hellos_404, links, shows

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(2)


@pytest.mark.step(12)
@pytest.mark.parametrize(
    "path", ["/no-such-page", "/about/", "/uploads/a/b", "/notes/x"]
)
def test_unknown_url_gives_hellos_404(client, path):
    """hello's own 404 page, with a way back to the lessons."""
    response = client.get(path)
    assert is_hellos_404(response)
    assert "/" in links(response)
    # hello's page extends base.html: its navigation is there.
    assert "/about" in links(response)


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("post", "/about", 405, "405 Method Not Allowed"),
        pytest.param(
            "get",
            "/cookies/forget",
            405,
            "405 Method Not Allowed",
            marks=pytest.mark.step(10),
        ),
        pytest.param(
            "post",
            "/flashing",
            400,
            "400 Bad Request",
            marks=pytest.mark.step(13),
        ),
        pytest.param(
            "get",
            "/staff-only",
            403,
            "403 Forbidden",
            marks=pytest.mark.step(12),
        ),
    ],
)
def test_other_errors_get_the_shared_page(
    client, method, path, status, heading
):
    """Errors hello has no page for get the showcase's, in hello's layout."""
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert shows(response, heading)
    assert "/about" in links(response)  # still in hello's layout
