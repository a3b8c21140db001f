"""Fixtures for the shared package's tests: a tiny app using every helper."""

from __future__ import annotations

import pytest
from flask import Flask, abort, flash, render_template_string
from flask.testing import FlaskClient
from flask_wtf import CSRFProtect

import showcase

#: A key long enough for showcase.init_app: tests must pass a real one.
TEST_SECRET_KEY = "test-secret-key-not-for-production"

#: A page as an example writes one: its own flashes loop and form.
PAGE = """{% extends "showcase/layout.html" %}
{% block title %}Demo{% endblock %}
{% block messages %}
  {% for category, message in get_flashed_messages(with_categories=true) %}
    <p class="flash flash-{{ category }}">{{ message }}</p>
  {% endfor %}
{% endblock %}
{% block content %}
<form method="post" action="{{ url_for('echo') }}">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
</form>{% endblock %}"""


@pytest.fixture
def app() -> Flask:
    """A minimal app configured by showcase the way the examples are."""
    app = Flask("demo")
    app.config.from_mapping(TESTING=True, SECRET_KEY=TEST_SECRET_KEY)
    showcase.init_app(app)
    CSRFProtect(app)

    @app.get("/")
    def index():
        flash("Saved.", "success")
        return render_template_string(PAGE)

    @app.get("/plain")
    def plain():
        return render_template_string(PAGE)

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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the tiny app."""
    return app.test_client()
