"""A Sphinx extension that shows the code a build-along step adds.

``.. step-files::`` on a step's page (the page ``steps/*/steps.toml`` names
for the step) shows every file the step writes, as the learner types it:

- a new file whole, under its path;
- a changed file as the parts that change, in the file as it is after the
  step (new lines highlighted, the line numbers in the caption), then the
  whole file after the step, folded;
- a file the step deletes, by name.

On an exercise's solution page it shows the solution the same way, as a
change of the finished example. Given file names, it shows only those
(``.. step-files:: flaskr/blog.py``), and with ``:start-at:`` and
``:end-before:`` only that part of the one file, as ``literalinclude``.

The code comes from the snapshots (the skeleton and the patches of steps
1 to N, applied as ``check`` applies them) or from the example and the
solution's patch; the patch itself is a download. ``docs/typed_steps.py``
rebuilds each step from the built pages alone and compares it with the
snapshot.
"""

from __future__ import annotations

import difflib
import io
import os
import sys
import tempfile
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import ClassVar

from docutils import nodes  # type: ignore[import-untyped]  # no hints
from docutils.statemachine import StringList  # type: ignore[import-untyped]
from sphinx.util.docutils import SphinxDirective

REPO_ROOT = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO_ROOT / "steps"))
import snapshots  # noqa: E402 (steps/snapshots.py)

#: Lines of context around each change, as in a patch.
CONTEXT = 3
#: Lines longer than this wrap in the listing (docs/check_site.py).
MAX_COLUMNS = 79
#: Pygments lexers by file suffix; anything else is plain text.
LANGUAGES = {
    ".py": "python",
    ".html": "html+jinja",
    ".sql": "sql",
    ".css": "css",
    ".js": "javascript",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".md": "markdown",
}


@dataclass(frozen=True)
class FileChange:
    """One file a step writes: its text before and after, by lines."""

    name: str
    before: tuple[str, ...] | None  # None: the step creates the file
    after: tuple[str, ...] | None  # None: the step deletes the file

    def matcher(self) -> difflib.SequenceMatcher:
        """``difflib``'s comparison of the file before and after."""
        return difflib.SequenceMatcher(
            a=self.before or (), b=self.after or (), autojunk=False
        )

    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """What changes, as ``difflib`` says it (equal parts left out)."""
        return [op for op in self.matcher().get_opcodes() if op[0] != "equal"]

    def new_lines(self) -> set[int]:
        """The numbers (from 1) of the lines the step adds or changes."""
        return {
            line + 1
            for tag, _, _, j1, j2 in self.opcodes()
            if tag != "delete"
            for line in range(j1, j2)
        }

    def parts(self) -> list[tuple[int, int, int]]:
        """The changed parts: (first line, last line, lines removed).

        Line numbers are those of the file after the step, from 1, with
        ``CONTEXT`` lines around each change; close changes merge.
        """
        found: list[tuple[int, int, int]] = []
        strings = string_spans(self.name, self.after or ())
        for group in self.matcher().get_grouped_opcodes(CONTEXT):
            first, last = group[0][3], group[-1][4]
            # Start a part where a string starts, so it reads as code.
            first = min([first] + [a for a, b in strings if a < first <= b])
            removed = sum(
                i2 - i1
                for tag, i1, i2, _, _ in group
                if tag in ("delete", "replace")
            )
            if found and first + 1 <= found[-1][1]:
                start, _, before = found.pop()
                found.append((start, last, before + removed))
            else:
                found.append((first + 1, max(last, first + 1), removed))
        return found


def string_spans(name: str, lines: tuple[str, ...]) -> list[tuple[int, int]]:
    """The (first, last) line indexes of each multi-line Python string."""
    if not name.endswith(".py"):
        return []
    text = "\n".join(lines) + "\n"
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [
        (token.start[0] - 1, token.end[0] - 1)
        for token in tokens
        if token.type == tokenize.STRING and token.end[0] > token.start[0]
    ]


@cache
def snapshots_of(example: str) -> tuple[dict[str, str], ...]:
    """The package files after each step (0: the skeleton), by name."""
    chapter = snapshots.load(example)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        skeleton = chapter.folder / snapshots.SKELETON
        for name, path in snapshots.files_of(skeleton).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(path.read_bytes())
        found = [read_folder(folder)]
        for step in chapter.steps:
            patch = chapter.patch(step)
            if patch is not None:
                snapshots.apply_patch(
                    patch.read_text("utf-8"), folder, source=patch.name
                )
            found.append(read_folder(folder))
    return tuple(found)


def read_folder(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` as text, by its path inside it."""
    return {
        name: path.read_text("utf-8")
        for name, path in snapshots.files_of(folder).items()
    }


def changes(before: dict[str, str], after: dict[str, str]) -> list[FileChange]:
    """The files that differ from ``before`` to ``after``, by name."""
    found = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old != new:
            found.append(
                FileChange(
                    name,
                    None if old is None else tuple(old.splitlines()),
                    None if new is None else tuple(new.splitlines()),
                )
            )
    return found


def typing_order(change: FileChange) -> tuple[int, str]:
    """New files first (a module before the code that imports it), then
    the changed ones, the package's ``__init__.py`` (which wires them)
    last; deleted files at the end."""
    if change.after is None:
        return (3, change.name)
    if change.before is None:
        return (0, change.name)
    return (2 if change.name.endswith("__init__.py") else 1, change.name)


def step_changes(example: str, number: int) -> list[FileChange]:
    """The files step ``number`` writes, in the order to type them."""
    before, after = snapshots_of(example)[number - 1 : number + 1]
    return sorted(changes(before, after), key=typing_order)


def solution_patch(chapter: snapshots.Chapter, number: int) -> Path:
    """The worked solution of exercise ``number``, as a patch."""
    return chapter.folder / "exercises" / str(number) / "solution.patch"


@cache
def solution_texts(
    example: str, number: int
) -> tuple[dict[str, str], dict[str, str]]:
    """The files the solution changes: in the example, then solved."""
    patch = solution_patch(snapshots.load(example), number)
    text = patch.read_text("utf-8")
    example_folder = REPO_ROOT / "examples" / example
    names = [
        snapshots._strip_prefix(new if new != "/dev/null" else old)
        for old, new, _ in snapshots._parse(text)
    ]
    before = {
        name: (example_folder / name).read_text("utf-8")
        for name in names
        if (example_folder / name).is_file()
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in before.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content, "utf-8")
        snapshots.apply_patch(text, folder, source=patch.name)
        after = read_folder(folder)
    return before, after


def solution_changes(example: str, number: int) -> list[FileChange]:
    """The files the solution of exercise ``number`` writes, as patched."""
    before, after = solution_texts(example, number)
    return changes(before, after)


class folded(nodes.General, nodes.Element):
    """An HTML ``<details>`` block: a summary line, then what it folds."""


def visit_folded_html(self, node: folded) -> None:
    """Open the ``<details>`` element and write its summary."""
    self.body.append(
        f'<details class="{" ".join(node["classes"])}">'
        f"<summary>{self.encode(node['summary'])}</summary>\n"
    )


def depart_folded_html(self, node: folded) -> None:
    """Close the ``<details>`` element."""
    self.body.append("</details>\n")


def visit_folded_other(self, node: folded) -> None:
    """Other builders show what is folded as it is."""


def code_block(
    example: str, name: str, lines: list[str], caption: str, marked: list[int]
) -> nodes.container:
    """A captioned listing of ``lines`` of ``name``, ``marked`` highlighted."""
    text = "\n".join(lines)
    block = nodes.literal_block(text, text)
    block["language"] = LANGUAGES.get(PurePosixPath(name).suffix, "text")
    if any(len(line) > MAX_COLUMNS for line in lines):
        # Templates have long lines: they wrap, so none hides off the side.
        block["classes"] = ["wrap-long-lines"]
    # A part may start inside a docstring: lex it leniently, as :force: does.
    block["force"] = True
    block["highlight_args"] = {"hl_lines": marked} if marked else {}
    # Included code, for docs/code_rules.py: its path in the example.
    block["source"] = str(REPO_ROOT / "examples" / example / name)
    wrapper = nodes.container(
        "", literal_block=True, classes=["literal-block-wrapper"]
    )
    wrapper += nodes.caption(caption, "", nodes.Text(caption))
    wrapper += block
    return wrapper


@dataclass(frozen=True)
class Context:
    """What a page with ``.. step-files::`` teaches: a step or a solution."""

    example: str
    patch: Path | None
    #: "after step 3", or "with the solution".
    after: str
    #: The first sentence before the listings, when all files are shown.
    intro: str
    files: tuple[FileChange, ...]
    dependencies: tuple[Path, ...]


def context_of(docname: str) -> Context | None:
    """The step or exercise solution whose page ``docname`` is."""
    for toml in sorted((REPO_ROOT / "steps").glob("*/steps.toml")):
        chapter = snapshots.load(toml.parent.name)
        example = chapter.example
        for step in chapter.steps:
            if step.page == docname:
                files = step_changes(example, step.number)
                count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
                done = chapter.steps[: step.number]
                earlier = [chapter.patch(before) for before in done]
                return Context(
                    example=example,
                    patch=chapter.patch(step),
                    after=f"after step {step.number}",
                    intro=(
                        f"Step {step.number} writes {count}. Type them in "
                        "this order. Highlighted lines are new or changed."
                    ),
                    files=tuple(files),
                    dependencies=tuple(p for p in earlier if p is not None),
                )
        for exercise in chapter.exercises:
            if exercise.solution_page == docname:
                patch = solution_patch(chapter, exercise.number)
                return Context(
                    example=example,
                    patch=patch,
                    after="with the solution",
                    intro=(
                        f"The solution changes the finished {example}. "
                        "Highlighted lines are new or changed."
                    ),
                    files=tuple(solution_changes(example, exercise.number)),
                    dependencies=(patch,),
                )
    return None


class StepFiles(SphinxDirective):
    """``.. step-files:: [FILE ...]``: the code of this page's step."""

    optional_arguments = 20
    option_spec: ClassVar[dict[str, Callable[[str], str]]] = {
        "start-at": str,
        "end-before": str,
    }
    has_content = False

    def run(self) -> list[nodes.Node]:
        """Build the listings of the files the step writes."""
        context = context_of(self.env.docname)
        if context is None:
            raise self.error(
                "step-files: this page is no step's and no solution's page "
                "in steps/*/steps.toml"
            )
        for path in context.dependencies:
            self.env.note_dependency(str(path))
        files = list(context.files)
        out: list[nodes.Node] = []
        if self.arguments:
            known = {change.name: change for change in files}
            missing = [name for name in self.arguments if name not in known]
            if missing:
                raise self.error(
                    f"step-files: {', '.join(missing)} not changed here; "
                    f"changed: {', '.join(known)}"
                )
            files = [known[name] for name in self.arguments]
        else:
            intro = context.intro
            if context.patch is not None:
                here = Path(self.env.doc2path(self.env.docname)).parent
                relative = Path(os.path.relpath(context.patch, here))
                intro += (
                    " The same change as one patch: :download:"
                    f"`{context.patch.name} <{relative.as_posix()}>`."
                )
            out += self.parse(intro)
        if "start-at" in self.options or "end-before" in self.options:
            if len(files) != 1 or files[0].after is None:
                raise self.error("step-files: :start-at: needs one file")
            return [*out, self.part_of(context.example, files[0])]
        for change in files:
            out += self.show(context.example, context.after, change)
        return out

    def parse(self, text: str) -> list[nodes.Node]:
        """Paragraphs of reStructuredText, roles and all."""
        holder = nodes.container()
        lines = StringList(text.splitlines(), self.env.docname)
        self.state.nested_parse(lines, self.content_offset, holder)
        return list(holder.children)

    def part_of(self, example: str, change: FileChange) -> nodes.Node:
        """The lines from ``:start-at:`` up to ``:end-before:``."""
        after = list(change.after or ())
        first, last = 1, len(after)
        start = self.options.get("start-at")
        end = self.options.get("end-before")
        if start is not None:
            first = next(
                (n for n, line in enumerate(after, 1) if start in line), 0
            )
        if end is not None:
            last = next(
                (
                    n - 1
                    for n, line in enumerate(after, 1)
                    if n > first and end in line
                ),
                0,
            )
        if not first or not last:
            raise self.error(f"step-files: no such lines in {change.name}")
        marked = [
            n - first + 1
            for n in sorted(change.new_lines())
            if first <= n <= last
        ]
        caption = f"{change.name}, lines {first} to {last}"
        return code_block(
            example, change.name, after[first - 1 : last], caption, marked
        )

    def show(
        self, example: str, after_what: str, change: FileChange
    ) -> list[nodes.Node]:
        """The listings of one file."""
        name = change.name
        if change.after is None:
            deleted = nodes.paragraph(classes=["step-deleted"])
            deleted += nodes.Text("Delete ")
            deleted += nodes.literal(name, name)
            deleted += nodes.Text(".")
            return [deleted]
        after = list(change.after)
        if change.before is None and not after:
            empty = nodes.paragraph(classes=["step-empty"])
            empty += nodes.Text("Create ")
            empty += nodes.literal(name, name)
            empty += nodes.Text(", an empty file.")
            return [empty]
        whole = nodes.container(classes=["step-whole"])
        if change.before is None:
            whole += code_block(example, name, after, f"{name} (new)", [])
            return [whole]
        out: list[nodes.Node] = []
        marked = sorted(change.new_lines())
        for first, last, removed in change.parts():
            caption = f"{name}, lines {first} to {last}"
            if removed:
                caption += (
                    f" ({removed} old line{'s' if removed != 1 else ''} "
                    "replaced or removed)"
                )
            shown = [n - first + 1 for n in marked if first <= n <= last]
            out.append(
                code_block(
                    example, name, after[first - 1 : last], caption, shown
                )
            )
        fold = folded(
            summary=f"The whole {name} {after_what}",
            classes=["step-whole-file"],
        )
        whole += code_block(example, name, after, name, marked)
        fold += whole
        out.append(fold)
        return out


def setup(app) -> dict[str, object]:
    """Register ``.. step-files::`` and the folded block it writes."""
    other = (visit_folded_other, lambda self, node: None)
    app.add_node(
        folded,
        html=(visit_folded_html, depart_folded_html),
        latex=other,
        text=other,
        man=other,
        texinfo=other,
    )
    app.add_directive("step-files", StepFiles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
