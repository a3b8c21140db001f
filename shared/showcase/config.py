"""Deprecated: examples now load their config by hand; removed soon.

Where an example's settings come from, and the one rule they must obey.

Settings are read in the order the Flask tutorial teaches: the example's
defaults, then ``config.py`` in its instance folder, then ``FLASK_*``
environment variables (``FLASK_SECRET_KEY=...`` sets ``SECRET_KEY``). Tests pass
``test_config`` instead, so a developer's instance folder never leaks into a
test run.

The rule: the development secret key is fine while debugging or testing, but a
production app must be given a real one, or it refuses to start.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo

from showcase.security import (
    DEV_SECRET_KEY,
    MIN_SECRET_KEY_LENGTH,
    SECURE_DEFAULTS,
    InsecureConfigError,
)

__all__ = ["InsecureConfigError", "has_real_secret_key", "load_config"]


def load_config(
    app: Flask,
    test_config: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Fill ``app.config`` from defaults, the instance folder and the environment.

    ``test_config``, when given, replaces the instance folder and the
    environment, as in the Flask tutorial's factory.
    """
    app.config.from_mapping(SECRET_KEY=DEV_SECRET_KEY, **SECURE_DEFAULTS)
    app.config.from_mapping(defaults or {})
    if test_config is None:
        app.config.from_pyfile(
            os.path.join(app.instance_path, "config.py"), silent=True
        )
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    check_secret_key(app)


def has_real_secret_key(app: Flask) -> bool:
    """Tell whether ``SECRET_KEY`` is long enough and not the dev key."""
    key = app.config.get("SECRET_KEY") or ""
    return key != DEV_SECRET_KEY and len(key) >= MIN_SECRET_KEY_LENGTH


def check_secret_key(app: Flask) -> None:
    """Refuse to start a production app whose sessions anyone could forge.

    - a real key (16+ characters, not ``"dev"``) is always accepted;
    - debug and testing may use the development key;
    - under the ``flask`` command (``flask run``, ``flask init-db``) without
      ``--debug``, a random key is made for this process, so sessions are safe
      but do not survive a restart;
    - anything else, such as a WSGI server like gunicorn or waitress, is
      production: :class:`InsecureConfigError` stops it with what to do.
    """
    if has_real_secret_key(app) or app.debug or app.testing:
        return
    if _running_under_flask_command():
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise InsecureConfigError(
        f"{app.name}: refusing to start without a real SECRET_KEY "
        f"(at least {MIN_SECRET_KEY_LENGTH} characters, not {DEV_SECRET_KEY!r}). "
        'Generate one with: python -c "import secrets; print(secrets.token_hex())" '
        f"and set it as FLASK_SECRET_KEY in the environment, or as SECRET_KEY in "
        f"{os.path.join(app.instance_path, 'config.py')}."
    )


def _running_under_flask_command() -> bool:
    """Tell whether the app is being loaded by the ``flask`` command line."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_object(ScriptInfo) is not None
