"""A Sphinx extension that keeps the docs' code honest.

Two rules, checked as Sphinx reads each page (a warning, so an error
under ``sphinx-build -W``):

- code is included from the real files (``literalinclude``), never pasted
  into a page; only commands typed in a shell are written in the page
  (``.. code-block:: console``, ``ps1con`` or ``doscon``);
- every included block has a ``:caption:`` that starts with its file's
  path, relative to the example (``flaskr/db.py``), or to the repository
  for a file outside the examples (``noxfile.py``).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from docutils import nodes  # type: ignore[import-untyped]  # no hints

#: Languages of a shell session: commands to type, written in the page.
SHELL_LANGUAGES = {
    "console",
    "shell-session",
    "ps1con",
    "pwsh-session",
    "powershell",
    "doscon",
    "bat",
}
#: The repository's root, above docs/.
REPO_ROOT = Path(__file__).absolute().parents[1]


def caption_path(included: str) -> str:
    """The path an included file's caption starts with."""
    try:
        path = PurePosixPath(Path(included).relative_to(REPO_ROOT))
    except ValueError:  # outside the repository: its name will do
        return Path(included).name
    if path.parts[0] == "examples" and len(path.parts) > 2:
        return str(PurePosixPath(*path.parts[2:]))
    return str(path)


def caption_of(block: nodes.literal_block) -> str | None:
    """The caption of a code block, if it has one."""
    parent = block.parent
    if isinstance(parent, nodes.container) and parent.get("literal_block"):
        return parent[0].astext()
    return None


def problem_with(block: nodes.literal_block) -> str | None:
    """What breaks the rules in one code block, if anything."""
    included = block.get("source")
    if included is None:
        if block.get("language") in SHELL_LANGUAGES:
            return None
        return (
            "code pasted into the page: include it from the real file "
            "with literalinclude (a shell session: .. code-block:: console)"
        )
    expected = caption_path(included)
    caption = caption_of(block)
    if caption is None or not caption.startswith(expected):
        return f"an included block needs :caption: {expected}"
    return None


def _check(app, doctree) -> None:
    """Warn about each code block that breaks a rule (``doctree-read``)."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for block in doctree.findall(nodes.literal_block):
        problem = problem_with(block)
        if problem:
            logger.warning(problem, location=block)


def setup(app) -> dict[str, object]:
    """Register the check."""
    app.connect("doctree-read", _check)
    return {"parallel_read_safe": True}
