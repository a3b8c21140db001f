"""Sphinx configuration for the Flask showcase tutorial and instructor notes.

The portal serves these pages under its strict Content-Security-Policy, and
offline: nothing may load from another site, and no inline script or style
may be needed. ``_templates/`` overrides the two places where the Furo theme
writes inline code; ``_static/showcase-docs.css`` holds what they set.
"""

import sys
from pathlib import Path

from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

# Our own extensions, beside this file: prose_stats.py prints the prose
# figures after a build; code_rules.py warns about pasted code and included
# code without its file's path as caption.
sys.path.insert(0, str(Path(__file__).parent))

project = "Flask showcase"
author = "The Flask showcase team"
copyright = "2026, the Flask showcase team"

extensions = [
    "sphinx.ext.todo",
    "api_links",
    "sphinx_copybutton",
    "sphinx_inline_tabs",
    "prose_stats",
    "code_rules",
    "step_files",
]
exclude_patterns = ["_build"]
templates_path = ["_templates"]
todo_include_todos = False

# api_links.py (our own extension too) links API names to the reference docs
# below. The build reads each inventory from _intersphinx/ and never goes
# online (_intersphinx/README.md).
intersphinx_mapping = {
    name: (url, f"_intersphinx/{name}.inv")
    for name, url in {
        "flask": "https://flask.palletsprojects.com/en/stable/",
        "werkzeug": "https://werkzeug.palletsprojects.com/en/stable/",
        "jinja": "https://jinja.palletsprojects.com/en/stable/",
        "flask_login": "https://flask-login.readthedocs.io/en/latest/",
        "flask_wtf": "https://flask-wtf.readthedocs.io/en/stable/",
        "sqlalchemy": "https://docs.sqlalchemy.org/en/20/",
    }.items()
}

html_theme = "furo"
html_title = "Flask showcase"
html_static_path = ["_static"]
html_css_files = ["showcase-docs.css"]
html_js_files = ["showcase-docs.js"]
# Furo sets these two colours in an inline <style>; the CSP forbids it, so
# showcase-docs.css sets them for these styles instead.
pygments_style = "a11y-light"
pygments_dark_style = "native"
html_theme_options = {
    "navigation_with_keys": True,
    "top_of_page_buttons": [],
}
# The index page is a table of inline styles; the search box is enough.
html_use_index = False
html_copy_source = False
html_show_sourcelink = False

# The copy button copies the command, not the "$ " prompt or the output.
copybutton_prompt_text = r"\$ |PS> |> "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True


class AccessibleTranslator(HTML5Translator):
    """Sphinx's HTML, with a level on the table of contents' captions.

    Sphinx writes them as ``<p role="heading">`` without ``aria-level``,
    which screen readers need (axe: aria-required-attr).
    """

    def visit_title(self, node) -> None:
        """Write a toctree caption as a level-2 heading; others as usual."""
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get(
            "toctree"
        ):
            attributes = {"role": "heading", "aria-level": "2"}
            self.body.append(
                self.starttag(node, "p", "", CLASS="caption", **attributes)
            )
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)


def setup(app) -> None:
    """Use the accessible translator for the HTML pages."""
    app.set_translator("html", AccessibleTranslator)
