"""showcase.errors: one page for every HTTP error, right status and headers."""

from __future__ import annotations

from flask import Flask, render_template_string

import showcase


def test_not_found_page(client):
    response = client.get("/missing")
    assert response.status_code == 404
    assert "<h1>404 Not Found</h1>" in response.text
    assert response.mimetype == "text/html"


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
    assert "404 Not Found" in response.text
    with app.test_request_context():
        assert "My example" in render_template_string(
            '{% extends "base.html" %}'
        )
