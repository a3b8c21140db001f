"""The showcase portal: every example in one server, each at ``/<name>/``.

``nox -s serve`` runs ``flask --app showcase.portal run``. The portal finds each
folder under ``examples/``, imports the package of the same name, builds its app
with its own ``create_app()`` and mounts it with Werkzeug's
``DispatcherMiddleware``. The landing page at ``/`` links to each example and to
its chapter of the docs (served from ``docs/_build/html`` once built).

Mounted apps share one host, so each gets its own session and remember-me
cookie names and paths: logging in to one example never logs you in to, or out
of, another.
"""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, send_from_directory
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import showcase


class Example:
    """One example as the portal shows it: name, one-line summary, its app."""

    def __init__(self, name: str, app: Flask) -> None:
        self.name = name
        self.app = app
        module_doc = importlib.import_module(name).__doc__ or name
        self.summary = module_doc.strip().splitlines()[0]


def discover_examples(examples_dir: Path) -> list[str]:
    """List the examples: folders ``examples/<name>/`` holding a package ``<name>``."""
    return sorted(
        path.name
        for path in examples_dir.iterdir()
        if (path / path.name / "__init__.py").is_file()
    )


def mount_config(name: str) -> dict[str, str]:
    """Links back to the portal, and cookies that keep logins apart."""
    return {
        "SHOWCASE_PORTAL_URL": "/",
        "SHOWCASE_CHAPTER_URL": f"/docs/{name}/index.html",
        "SESSION_COOKIE_NAME": f"{name}_session",
        "SESSION_COOKIE_PATH": f"/{name}",
        "REMEMBER_COOKIE_NAME": f"{name}_remember",
        "REMEMBER_COOKIE_PATH": f"/{name}",
    }


def build_example(
    name: str, test_config: Mapping[str, Any] | None = None
) -> Example:
    """Import example ``name``, build its app and give it its own cookies."""
    try:
        package = importlib.import_module(name)
    except ImportError as error:
        raise RuntimeError(
            f"example {name!r} is not installed: pip install -e examples/{name}"
        ) from error
    app = package.create_app(test_config)
    app.config.update(mount_config(name))
    return Example(name, app)


def create_app(
    root: str | os.PathLike[str] | None = None,
    test_configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Flask:
    """Build the portal for the repository at ``root`` (default: the current folder).

    ``test_configs`` maps an example's name to the ``test_config`` its factory
    gets, as the end-to-end tests do to use temporary databases.
    """
    root = Path(root or os.environ.get("SHOWCASE_ROOT") or Path.cwd())
    examples_dir = root / "examples"
    if not examples_dir.is_dir():
        raise RuntimeError(
            f"no examples/ folder in {root}: run the portal from the repository root"
        )
    test_configs = test_configs or {}
    examples = [
        build_example(name, test_configs.get(name))
        for name in discover_examples(examples_dir)
    ]
    docs_dir = root / "docs" / "_build" / "html"

    portal = Flask(__name__, static_folder=None)
    # The portal itself keeps no sessions: a key for this process will do.
    portal.config["SECRET_KEY"] = secrets.token_hex(32)
    showcase.init_app(portal)
    portal.extensions["showcase_portal"] = examples

    @portal.get("/")
    def index():
        """List every example with links to the app and its chapter of the docs."""
        return render_template(
            "showcase/portal.html",
            examples=examples,
            docs_built=docs_dir.is_dir(),
        )

    @portal.get("/docs/", defaults={"filename": "index.html"})
    @portal.get("/docs/<path:filename>")
    def docs(filename: str):
        """Serve the built Sphinx docs, so the tutorial works offline too."""
        if not docs_dir.is_dir():
            abort(
                404, description="The docs are not built yet: run nox -s docs."
            )
        if filename.endswith("/"):
            filename += "index.html"
        return send_from_directory(docs_dir, filename)

    portal.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        portal.wsgi_app,
        {f"/{example.name}": example.app for example in examples},
    )
    return portal
