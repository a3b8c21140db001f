"""Error pages: hello's own 404; the shared page for the rest."""

import pytest

#: The build-along step that makes these tests pass (steps/hello).
pytestmark = pytest.mark.step(2)


@pytest.mark.step(12)
@pytest.mark.parametrize(
    "path", ["/no-such-page", "/about/", "/uploads/a/b", "/notes/x"]
)
def test_unknown_url_gives_hellos_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in page
    assert "The requested URL was not found on the server." in page
    assert 'href="/">back to the lessons</a>' in page
    # hello's page extends base.html: its navigation is there.
    assert '<a href="/about">About</a>' in page


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
    response = getattr(client, method)(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert '<a href="/about">About</a>' in page  # still in hello's layout
