"""Tests of the build-along listings: step_files and typed_steps.

``nox -s docs`` runs them; it then builds the site and runs
``typed_steps.py`` on it, which types every step from its page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import step_files
import typed_steps
from step_files import FileChange, snapshots_of, step_changes

# -- which lines a step shows ------------------------------------------------


def change(name: str, before: str | None, after: str | None) -> FileChange:
    def lines(text):
        return None if text is None else tuple(text.splitlines())

    return FileChange(name, lines(before), lines(after))


def numbered(count: int) -> list[str]:
    return [f"line{n}" for n in range(1, count + 1)]


def test_a_change_shows_with_three_lines_around_it():
    before = numbered(20)
    after = [*before[:9], "new", *before[9:]]
    shown = change("a.txt", "\n".join(before), "\n".join(after))
    assert shown.parts() == [(7, 13, 0)]
    assert shown.new_lines() == {10}


def test_changes_far_apart_are_two_parts_and_say_what_went():
    before = numbered(30)
    after = ["first", *before[1:25], *before[26:]]
    shown = change("a.txt", "\n".join(before), "\n".join(after))
    assert shown.parts() == [(1, 4, 1), (23, 28, 1)]
    assert shown.new_lines() == {1}


def test_a_part_inside_a_docstring_starts_where_the_string_starts():
    before = '"""Module.\n\nOne.\nTwo.\nThree.\nFour.\nFive.\n"""\n\nX = 1\n'
    after = before.replace("Five.", "Five, now six.")
    shown = change("m.py", before, after)
    assert shown.parts() == [(1, 10, 1)]


def test_new_files_come_first_and_init_last():
    before = {"p/__init__.py": "a", "p/views.py": "b", "p/old.py": "c"}
    after = {"p/__init__.py": "a2", "p/views.py": "b2", "p/new.py": "d"}
    order = sorted(
        step_files.changes(before, after), key=step_files.typing_order
    )
    assert [c.name for c in order] == [
        "p/new.py",
        "p/views.py",
        "p/__init__.py",
        "p/old.py",
    ]


def test_each_step_writes_what_its_snapshot_adds():
    steps = snapshots_of("hello")
    assert len(steps) == len(step_files.snapshots.load("hello").steps) + 1
    for change_ in step_changes("hello", 1):
        assert steps[1].get(change_.name) == (
            None if change_.after is None else "\n".join(change_.after) + "\n"
        )


# -- typing a step from its page ---------------------------------------------


def listing(name: str, text: str, caption_extra: str = "") -> str:
    """A whole-file listing as Sphinx writes it, highlighted lines and all."""
    lines = [
        f'<span class="hll">{html.escape(line)}\n</span>'
        for line in text.splitlines()
    ]
    return (
        '<div class="step-whole docutils container">'
        '<div class="literal-block-wrapper docutils container">'
        '<div class="code-block-caption"><span class="caption-text">'
        f"{html.escape(name)}{caption_extra}</span>"
        '<a class="headerlink" href="#id1">¶</a></div>'
        '<div class="highlight-python notranslate"><div class="highlight">'
        f"<pre><span></span>{''.join(lines)}</pre></div></div></div></div>"
    )


CHECK_IT = '<div class="admonition check-it"><p>Check it</p></div>'


def page(*parts: str) -> str:
    return f"<html><body>{''.join(parts)}{CHECK_IT}</body></html>"


def test_a_page_gives_its_whole_files_and_files_to_delete(tmp_path):
    path = tmp_path / "step.html"
    path.write_text(
        page(
            "<pre>not a file</pre>",
            listing("p/a.py", 'x = "<&>"\n'),
            listing("p/b.py", "y = 2\n", " (new)"),
            '<p class="step-deleted">Delete <code class="docutils literal">'
            '<span class="pre">p/c.py</span></code>.</p>',
            '<p class="step-empty">Create <code><span>p/d.py</span></code>'
            ", an empty file.</p>",
        ),
        encoding="utf-8",
    )
    got = typed_steps.read_step_page(path)
    assert got.files == {"p/a.py": 'x = "<&>"\n', "p/b.py": "y = 2\n"}
    assert got.deleted == ["p/c.py"]
    assert got.empty == ["p/d.py"]


def test_differences_name_the_file_and_the_first_line_that_differs():
    expected = {"a": "1\n2\n3\n", "b": "x\n", "c": "1\n"}
    typed = {"a": "1\n2\nthree\n", "c": "1", "d": "extra\n"}
    assert typed_steps.differences(expected, typed) == [
        "a: differs from line 3",
        "b: not on the page",
        "d: on the page, not in the step's code",
    ]


def site_of(example: str, root: Path, leave_out: tuple[int, str] = (0, "")):
    """A site whose step pages show each step's files whole."""
    chapter = step_files.snapshots.load(example)
    for step in chapter.steps:
        shown = [
            listing(c.name, "\n".join(c.after) + "\n")
            for c in step_changes(example, step.number)
            if c.after is not None and (step.number, c.name) != leave_out
        ]
        out = root / f"{step.page}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page(*shown), encoding="utf-8")
    return root


def test_a_site_that_shows_every_file_types_every_step(tmp_path):
    assert typed_steps.check_example("hello", site_of("hello", tmp_path)) == []


def test_a_file_left_off_a_page_is_reported_with_its_step(tmp_path):
    left_out = step_changes("hello", 2)[0].name
    site = site_of("hello", tmp_path, leave_out=(2, left_out))
    problems = typed_steps.check_example("hello", site)
    assert len(problems) == 1
    assert problems[0].startswith("hello step 2 (routes.html): " + left_out)


def test_a_step_page_has_one_check_it_box(tmp_path):
    site = site_of("hello", tmp_path)
    routes = site / "hello" / "routes.html"
    routes.write_text(routes.read_text().replace(CHECK_IT, ""))
    assert typed_steps.check_example("hello", site) == [
        "hello step 2 (routes.html): 0 Check it boxes, not one"
    ]


def test_a_missing_page_is_reported(tmp_path):
    site = site_of("hello", tmp_path)
    (site / "hello" / "routes.html").unlink()
    assert typed_steps.check_example("hello", site) == [
        "hello step 2 (routes.html): no such page"
    ]


# -- the directive, built by Sphinx ------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A tiny site with one step page and one solution page."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        "extensions = ['step_files']\nexclude_patterns = ['_build']\n"
    )
    (src / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   hello/routes\n   "
        "hello/solutions/multiply\n"
    )
    (src / "hello" / "solutions").mkdir(parents=True)
    (src / "hello" / "routes.rst").write_text(
        "Routes\n======\n\n.. step-files::\n"
    )
    (src / "hello" / "solutions" / "multiply.rst").write_text(
        "Multiply\n========\n\n.. step-files::\n"
    )
    out = src / "_build"
    app = Sphinx(src, src, out, out / ".doctrees", "html", status=None)
    app.build()
    return out


def test_the_directive_shows_every_file_of_the_step(built):
    shown = typed_steps.read_step_page(built / "hello" / "routes.html")
    after = snapshots_of("hello")[2]
    for change_ in step_changes("hello", 2):
        assert shown.files[change_.name] == after[change_.name]


def test_the_directive_links_the_patch(built):
    text = (built / "hello" / "routes.html").read_text(encoding="utf-8")
    assert "02-routes.patch" in text
    assert "<details" in text or all(
        c.before is None for c in step_changes("hello", 2)
    )


def test_a_solution_page_shows_the_solved_files(built):
    shown = typed_steps.read_step_page(
        built / "hello" / "solutions" / "multiply.html"
    )
    _, after = step_files.solution_texts("hello", 1)
    assert shown.files == after
