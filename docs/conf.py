"""Sphinx configuration for the Flask showcase tutorial and instructor notes."""

project = "Flask showcase"
author = "The Flask showcase team"
copyright = "2026, the Flask showcase team"

extensions = ["sphinx.ext.todo"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = "Flask showcase"
html_static_path: list[str] = []
# No fonts or scripts from other sites: the docs are served offline by the portal too.
html_theme_options = {
    "font_family": "system-ui, sans-serif",
    "head_font_family": "system-ui, sans-serif",
}
# Pictures of the running apps come from the browser tests (tests/e2e) and are
# checked in under docs/_static/screenshots, so the docs show the current apps.
todo_include_todos = False
