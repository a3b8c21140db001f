"""The shared layout and macros: accessible, escaped, nothing from another site."""

from __future__ import annotations

import re

from flask import flash, render_template_string


def test_layout_flashes_and_assets(client):
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert 'href="/_showcase/static/showcase.css"' in html
    assert '<a class="skip-link" href="#content">' in html
    assert '<p class="flash flash-success" role="status">Saved.</p>' in html
    assert '<p class="flash flash-error" role="alert">Broken.</p>' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "<script" not in html
    assert "style=" not in html


def test_stylesheet_is_served_by_the_app(client):
    response = client.get("/_showcase/static/showcase.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_input_with_error_hint_and_attributes(client):
    html = client.get("/").text
    assert '<label for="name">Name</label>' in html
    assert (
        '<input id="name" name="name" type="text" value="&lt;b&gt;x&lt;/b&gt;" required '
        'maxlength="20" aria-invalid="true" aria-describedby="name-hint name-error">'
    ) in html
    assert '<p class="hint" id="name-hint">Short</p>' in html
    assert '<p class="error" id="name-error">Too long.</p>' in html
    assert "autofocus" not in html
    assert "placeholder" not in html


def test_input_without_error_and_password_never_echoed(client):
    html = client.get("/plain").text
    assert (
        '<input id="name" name="name" type="text" value="" required maxlength="20">'
        in html
    )
    assert '<input id="secret" name="secret" type="password">' in html
    assert "never shown" not in html


def test_textarea(client):
    html = client.get("/").text
    assert (
        '<textarea id="body" name="body" rows="8" required aria-invalid="true" '
        'aria-describedby="body-error">&lt;b&gt;x&lt;/b&gt;</textarea>'
    ) in html
    assert "hidden>" not in html
    plain = client.get("/plain").text
    assert (
        '<textarea id="body" name="body" rows="8" required></textarea>'
        in plain
    )


def test_post_button_and_time_tag(client):
    html = client.get("/").text
    assert '<form class="inline-form" method="post" action="/echo">' in html
    assert (
        '<button type="submit" class="button-link" aria-label="Go now">Go</button>'
        in html
    )
    assert (
        '<time datetime="2026-11-22T10:05:00Z">22 Nov 2026, 10:05 UTC</time>'
        in html
    )


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
