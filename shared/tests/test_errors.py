"""showcase.errors: one page for every HTTP error, right status and headers."""

from __future__ import annotations

from flask import Flask, abort, render_template_string
from werkzeug.exceptions import NotFound

import showcase


def test_not_found_page(client):
    """A friendly 404: what happened, and the way back to the start page."""
    response = client.get("/missing")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert "Check the address, or go back to" in response.text
    assert '<a href="/">the start page</a>' in response.text
    # Werkzeug's stock sentence says nothing the page does not.
    assert NotFound.description not in response.text
    assert response.mimetype == "text/html"


def test_not_found_page_gives_the_views_reason(app, client):
    """abort(404, reason): the page says why, then the way back."""
    app.add_url_rule("/post/1", "post", lambda: abort(404, "No post 1."))
    response = client.get("/post/1")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert response.text.index("No post 1.") < response.text.index(
        "Check the address"
    )


def test_not_found_page_under_a_prefix_links_to_the_examples_start(app):
    """Mounted at /flaskr (the portal), the way back is /flaskr/."""
    response = app.test_client().get(
        "/missing", environ_overrides={"SCRIPT_NAME": "/flaskr"}
    )
    assert response.status_code == 404
    assert '<a href="/flaskr/">the start page</a>' in response.text


def test_method_not_allowed_keeps_allow_header(client):
    response = client.get("/echo")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


def test_missing_csrf_token_is_a_clear_400(client):
    response = client.post("/echo")
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text


def test_too_large_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = client.post("/echo", data={"x": "y" * 100})
    assert response.status_code == 413
    assert "413 Request Entity Too Large" in response.text


def test_other_codes_use_the_same_page(client):
    response = client.get("/gone")
    assert response.status_code == 410
    assert "410 Gone" in response.text


def test_a_bug_gives_the_generic_500_page(app, client):
    app.testing = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "500 Internal Server Error" in response.text
    assert "deliberate" not in response.text
    assert "Traceback" not in response.text


def test_redirects_pass_through_unchanged(app, client):
    app.add_url_rule("/folder/", "folder", lambda: "in folder")
    response = client.get("/folder")
    assert response.status_code == 308
    assert response.location.endswith("/folder/")


def test_an_app_with_its_own_base_template_wraps_errors_in_it(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(
        '{% extends "showcase/layout.html" %}'
        "{% block brand %}My example{% endblock %}"
    )
    app = Flask("mine", root_path=str(tmp_path))
    app.config["SECRET_KEY"] = "test-secret-key-not-for-production"
    showcase.init_app(app)
    response = app.test_client().get("/missing")
    assert "My example" in response.text
    assert "Page not found" in response.text
    with app.test_request_context():
        assert "My example" in render_template_string(
            '{% extends "base.html" %}'
        )
