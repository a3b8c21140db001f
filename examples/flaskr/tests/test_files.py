"""The list of files in the README is the list of files on disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(9)

PROJECT = Path(__file__).parent.parent

#: One line of the tree: what draws it, then a name, then maybe a comment.
TREE_LINE = re.compile(r"(?P<indent>[│├└─\s]*)(?P<name>\S+)")


def listed_files() -> set[str]:
    """Read the tree under "## The files" in README.md: one path per file."""
    readme = (PROJECT / "README.md").read_text("utf-8")
    tree = readme.split("## The files", 1)[1].split("```text\n", 1)[1]
    tree = tree.split("```", 1)[0]
    files: set[str] = set()
    folders: list[str] = []
    for line in tree.splitlines():
        match = TREE_LINE.match(line)
        assert match, line
        depth = len(match["indent"]) // 4
        del folders[depth:]
        name = match["name"]
        if name.endswith("/"):
            folders.append(name)
        else:
            files.add("".join(folders) + name)
    return files


def files_on_disk() -> set[str]:
    """Every file of the package and the tests, without caches."""
    return {
        path.relative_to(PROJECT).as_posix()
        for folder in ("flaskr", "tests")
        for path in (PROJECT / folder).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
    }


@pytest.mark.finished
def test_readme_lists_every_file():
    """The README's tree of files is the real one."""
    assert listed_files() == files_on_disk()
