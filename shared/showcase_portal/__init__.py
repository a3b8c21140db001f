"""The portal: every example in one server at ``/<name>/``, in order.

``nox -s serve`` runs ``flask --app showcase_portal run``. No example uses
it, so it sits beside the ``showcase`` package, not in it: an exported
example carries ``showcase`` but not the portal.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, abort, render_template, send_from_directory
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import showcase

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib


class Example(NamedTuple):
    """One mounted example: its name, its app, its one-line summary, and
    the demo logins its ``seed`` command creates (if any)."""

    name: str
    app: Flask
    summary: str
    demo_logins: str = ""


def showcase_settings(project: Path) -> dict[str, Any]:
    """The ``[tool.showcase]`` table of an example's ``pyproject.toml``."""
    tool = tomllib.loads(project.read_text("utf-8")).get("tool", {})
    return dict(tool.get("showcase", {}))


def discover_examples(examples_dir: Path) -> list[str]:
    """List the examples (``examples/<name>/<name>/``) in learning order."""
    orders = {}
    for project in examples_dir.glob("*/pyproject.toml"):
        name = project.parent.name
        if (project.parent / name / "__init__.py").is_file():
            settings = showcase_settings(project)
            orders[name] = settings.get("order", sys.maxsize)
    return sorted(orders, key=lambda name: (orders[name], name))


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
    """Build example ``name`` with ``create_app`` or take its ``app``."""
    try:
        package = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise  # the example is there, one of its dependencies is not
        raise RuntimeError(
            f"example {name!r} is not installed: "
            f"pip install -e examples/{name}"
        ) from error
    if hasattr(package, "create_app"):
        app = package.create_app(test_config)
    else:
        app = package.app
        app.config.update(test_config or {})
    app.config.update(mount_config(name))
    summary = (package.__doc__ or name).strip().splitlines()[0]
    return Example(name, app, summary)


def create_app(
    root: str | os.PathLike[str] | None = None,
    test_configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Flask:
    """Build the portal over ``root/examples``, with test configs by name."""
    root = Path(root or os.environ.get("SHOWCASE_ROOT") or Path.cwd())
    if not (root / "examples").is_dir():
        raise RuntimeError(f"no examples/ folder in {root}: run it from there")
    test_configs = test_configs or {}
    examples = []
    for name in discover_examples(root / "examples"):
        example = build_example(name, test_configs.get(name))
        settings = showcase_settings(
            root / "examples" / name / "pyproject.toml"
        )
        demo = settings.get("demo-logins", "")
        examples.append(example._replace(demo_logins=demo))
    docs_dir = root / "docs" / "_build" / "html"

    portal = Flask(__name__, static_folder=None)
    # The portal keeps no sessions: a key for this process will do.
    portal.config["SECRET_KEY"] = secrets.token_hex(32)
    showcase.init_app(portal)
    portal.extensions["showcase_portal"] = examples

    @portal.get("/")
    def index() -> str:
        """List the examples in learning order, with their chapters."""
        return render_template(
            "portal.html", examples=examples, built=docs_dir.is_dir()
        )

    @portal.get("/docs/", defaults={"filename": "index.html"})
    @portal.get("/docs/<path:filename>")
    def docs(filename: str) -> Any:
        """Serve the built Sphinx docs, so the tutorial works offline."""
        if not docs_dir.is_dir():
            abort(404, "The docs are not built yet: run nox -s docs.")
        if filename.endswith("/"):
            filename += "index.html"
        response = send_from_directory(docs_dir, filename)
        # Read the page now and close its file: the development server
        # leaves a file open when a browser drops the connection midway.
        response.direct_passthrough = False
        body = response.get_data()
        response.close()
        response.set_data(body)
        return response

    mounts = DispatcherMiddleware(
        portal.wsgi_app,
        {f"/{example.name}": example.app for example in examples},
    )
    portal.wsgi_app = mounts  # type: ignore[method-assign]  # Flask docs do this
    return portal
