"""Fixtures for the shared package's tests: a tiny app that uses every helper."""

from __future__ import annotations

import pytest
from flask import Flask, abort, flash, render_template_string
from flask_wtf import CSRFProtect

import showcase

#: A key long enough for showcase.init_app: tests must pass a real one.
TEST_SECRET_KEY = "test-secret-key-not-for-production"

PAGE = """{% extends "showcase/layout.html" %}
{% block title %}Demo{% endblock %}
{% block messages %}{{ ui.flashes() }}{% endblock %}
{% block content %}
<form method="post" action="{{ url_for('echo') }}">{{ ui.csrf_field() }}
{{ ui.input("name", "Name", value=name, error=error, hint=hint, required=true, maxlength=20,
            autofocus=false, placeholder=none) }}
{{ ui.input("secret", "Secret", type="password", value="never shown") }}
{{ ui.textarea("body", "Body", value=name, error=error, required=true, hidden=false) }}
{{ ui.post_button(url_for('echo'), "Go", confirm_label="Go now") }}
{{ ui.time_tag("2026-11-22T10:05:00Z") }}
</form>{% endblock %}"""


@pytest.fixture
def app(tmp_path) -> Flask:
    """A minimal app configured by showcase the way the examples are."""
    app = Flask("demo", instance_path=str(tmp_path / "instance"))
    app.config.from_mapping(TESTING=True, SECRET_KEY=TEST_SECRET_KEY)
    showcase.init_app(app)
    CSRFProtect(app)

    @app.get("/")
    def index():
        flash("Saved.", "success")
        flash("Broken.", "error")
        return render_template_string(
            PAGE, name="<b>x</b>", error="Too long.", hint="Short"
        )

    @app.get("/plain")
    def plain():
        return render_template_string(PAGE, name="", error=None, hint=None)

    @app.post("/echo")
    def echo():
        return "ok"

    @app.get("/gone")
    def gone():
        abort(410)

    @app.get("/boom")
    def boom():
        raise RuntimeError("deliberate")

    return app
