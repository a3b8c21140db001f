"""Error pages: hello's own 404, 500 and 413; the shared page for the rest."""

from __future__ import annotations

import io

import pytest
from flask import abort

from hello import create_app
from showcase.testing import submit_form


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


def test_abort_500_gives_hellos_500(upload_folder):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "UPLOAD_FOLDER": str(upload_folder),
        }
    )

    @app.route("/boom")
    def boom():
        abort(500)

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("post", "/about", 405, "405 Method Not Allowed"),
        ("get", "/cookies/forget", 405, "405 Method Not Allowed"),
        ("post", "/flashing", 400, "400 Bad Request"),
        ("get", "/staff-only", 403, "403 Forbidden"),
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


def test_request_over_the_limit_gives_413_with_the_limit(post_multipart):
    big = ("big.txt", b"x" * (1024 * 1024 + 1))
    response = post_multipart("/uploads", {"file": big})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<h1>413 Request Entity Too Large</h1>" in page
    assert "this site accepts uploads of at most 1 MiB." in page


def test_limit_follows_the_config(upload_folder):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "UPLOAD_FOLDER": str(upload_folder),
            "MAX_CONTENT_LENGTH": 64 * 1024,
        }
    )
    client = app.test_client()
    response = submit_form(
        client, "/uploads", {"file": (io.BytesIO(b"x" * 70_000), "a.txt")}
    )
    assert response.status_code == 413
    assert "at most 64 KiB." in response.get_data(as_text=True)
    assert not any(upload_folder.iterdir())


def test_too_large_form_field_keeps_werkzeugs_description(post_multipart):
    """Under the size limit, but one text field is over MAX_FORM_MEMORY_SIZE."""
    response = post_multipart("/request", {"message": "x" * 600_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The data value transmitted exceeds the capacity limit." in page
    assert "at most 1 MiB" not in page
