"""The shared layout shell: accessible, nothing from another site."""

from __future__ import annotations

import re

from flask import flash, render_template_string


def test_layout_shell_and_assets(client):
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert 'href="/_showcase/static/showcase.css"' in html
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content" tabindex="-1">' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "<script" not in html
    assert "style=" not in html


def test_messages_block_is_the_examples_own(client):
    html = client.get("/").text
    assert '<p class="flash flash-success">Saved.</p>' in html
    assert html.index("Saved.") < html.index("<form")


def test_stylesheet_is_served_by_the_app(client):
    response = client.get("/_showcase/static/showcase.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_layout_renders_no_flashes_of_its_own(app, client):
    @app.get("/bare")
    def bare():
        flash("Hidden unless the example shows it.")
        return render_template_string(
            '{% extends "showcase/layout.html" %}'
            "{% block content %}body{% endblock %}"
        )

    html = client.get("/bare").text
    assert "Hidden unless" not in html
    assert "portal-bar" not in html


def test_mounted_example_links_back_to_the_portal(app, client):
    app.config.update(
        SHOWCASE_PORTAL_URL="/",
        SHOWCASE_CHAPTER_URL="/docs/demo/index.html",
    )
    html = client.get("/plain").text
    assert '<nav class="portal-bar" aria-label="Flask showcase">' in html
    assert '<a href="/">All examples</a>' in html
    assert '<a href="/docs/demo/index.html">' in html
    app.config["SHOWCASE_CHAPTER_URL"] = None
    assert "docs/demo" not in client.get("/plain").text
