"""Build every step from what its page shows, as a learner types it.

``python docs/typed_steps.py [docs/_build/html]`` starts from each
chapter's skeleton (what ``start`` writes), then, step by step, reads the
built page of the step and writes each file it lists whole (a new file, or
"The whole ... after step N"), deletes the files it says to delete, and
checks that the page has one "Check it" box, and compares the project with
the step's snapshot, the code ``check`` is
proven on (``tests/test_steps.py``). It fails (exit 1) with one line per
file that differs, so a page that leaves out a file, a line or a step
cannot pass.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))
from step_files import (
    snapshots,
    snapshots_of,
    solution_texts,
)


@dataclass
class StepPage:
    """What a step's page gives to type: whole files, and files to delete."""

    files: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    #: How many "Check it" boxes the page has: one per step page.
    check_its: int = 0


class StepPageReader(HTMLParser):
    """Collect the whole-file listings of a built step page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = StepPage()
        #: Open ``<div>`` elements, each True if it holds a whole file.
        self.divs: list[bool] = []
        self.caption: list[str] | None = None
        self.code: list[str] | None = None
        self.name = ""
        #: The list a ``<p class="step-deleted">`` (or ``step-empty``)
        #: names a file for, and the text of its ``<code>``, once in it.
        self.naming: list[str] | None = None
        self.named: list[str] | None = None

    def in_whole(self) -> bool:
        """Whether the parser is inside a whole-file listing."""
        return any(self.divs)

    def handle_starttag(self, tag: str, attrs) -> None:
        """Note where whole files, their captions and code start."""
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            self.divs.append("step-whole" in classes)
            if "check-it" in classes:
                self.page.check_its += 1
        elif tag == "span" and "caption-text" in classes and self.in_whole():
            self.caption = []
        elif tag == "pre" and self.in_whole():
            self.code = []
        elif tag == "p" and "step-deleted" in classes:
            self.naming = self.page.deleted
        elif tag == "p" and "step-empty" in classes:
            self.naming = self.page.empty
        elif tag == "code" and self.naming is not None:
            self.named = []

    def handle_data(self, data: str) -> None:
        """Keep the text of a caption, a listing or a file to delete."""
        for text in (self.caption, self.code, self.named):
            if text is not None:
                text.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Store a whole file at the end of its listing."""
        if tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "span" and self.caption is not None:
            self.name = "".join(self.caption).strip().removesuffix(" (new)")
            self.caption = None
        elif tag == "pre" and self.code is not None:
            self.page.files[self.name] = "".join(self.code)
            self.code = None
        elif tag == "code" and self.naming is not None and self.named:
            self.naming.append("".join(self.named).strip())
            self.naming = self.named = None


def read_step_page(path: Path) -> StepPage:
    """What the built page at ``path`` gives to type."""
    reader = StepPageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def lines_of(text: str) -> list[str]:
    """A file's lines, whatever its last newline."""
    return text.splitlines()


def differences(expected: dict[str, str], typed: dict[str, str]) -> list[str]:
    """How the typed project differs from the step's code, per file."""
    found = []
    for name in sorted(expected.keys() | typed.keys()):
        if name not in typed:
            found.append(f"{name}: not on the page")
        elif name not in expected:
            found.append(f"{name}: on the page, not in the step's code")
        else:
            want, got = lines_of(expected[name]), lines_of(typed[name])
            if want != got:
                pairs = enumerate(zip(want, got, strict=False), 1)
                line = next(
                    (n for n, (a, b) in pairs if a != b),
                    min(len(want), len(got)) + 1,
                )
                found.append(f"{name}: differs from line {line}")
    return found


def check_example(example: str, site: Path) -> list[str]:
    """Type every step of ``example`` from its pages; say what differs."""
    chapter = snapshots.load(example)
    expected = snapshots_of(example)
    typed = dict(expected[0])
    problems = []
    for step in chapter.steps:
        page_path = site / f"{step.page}.html"
        where = f"{example} step {step.number} ({page_path.name})"
        if not page_path.is_file():
            problems.append(f"{where}: no such page")
            typed = dict(expected[step.number])
            continue
        page = read_step_page(page_path)
        if page.check_its != 1:
            problems.append(
                f"{where}: {page.check_its} Check it boxes, not one"
            )
        typed.update(page.files)
        typed.update(dict.fromkeys(page.empty, ""))
        for name in page.deleted:
            typed.pop(name, None)
        found = differences(expected[step.number], typed)
        problems += [f"{where}: {problem}" for problem in found]
        # Go on from the step's code, so one gap is reported once.
        typed = dict(expected[step.number])
    return problems


def check_solutions(example: str, site: Path) -> list[str]:
    """Type each exercise's solution from its page; say what differs."""
    problems = []
    for exercise in snapshots.load(example).exercises:
        before, after = solution_texts(example, exercise.number)
        page_path = site / f"{exercise.solution_page}.html"
        where = f"{example} exercise {exercise.number} ({page_path.name})"
        if not page_path.is_file():
            problems.append(f"{where}: no such page")
            continue
        page = read_step_page(page_path)
        typed = {**before, **page.files, **dict.fromkeys(page.empty, "")}
        for name in page.deleted:
            typed.pop(name, None)
        found = differences(after, typed)
        problems += [f"{where}: {problem}" for problem in found]
    return problems


def examples_with_steps() -> list[str]:
    """The examples that have build-along steps."""
    return sorted(p.parent.name for p in snapshots.STEPS.glob("*/steps.toml"))


def main(argv: list[str]) -> int:
    """Type every chapter's steps from the site in the folder given."""
    default = Path(__file__).parent / "_build" / "html"
    site = (Path(argv[0]) if argv else default).resolve()
    if not site.is_dir():
        print(f"{site} is not built: run nox -s docs first.")
        return 1
    problems, steps = [], 0
    for example in examples_with_steps():
        problems += check_example(example, site)
        problems += check_solutions(example, site)
        chapter = snapshots.load(example)
        steps += len(chapter.steps) + len(chapter.exercises)
    for problem in problems:
        print(problem)
    print(
        f"{steps} steps and solutions typed from their pages, "
        f"{len(problems)} problem(s)."
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
