"""Build-along steps: snapshots of an example, one patch per step (stdlib).

An example's steps live in ``steps/<example>/``:

- ``steps.toml`` lists the steps in the order of the example's chapter;
- ``00-skeleton/`` holds the package files a learner starts from;
- ``NN-slug.patch`` is the unified diff a step makes, for steps that add
  code.

The snapshot at step N is the example as ``nox -s export`` writes it, with
its package's own files replaced by the skeleton, then the patches of steps
1 to N applied. The files the chapter does not build (``pyproject.toml``,
the README, the tests of every step, given assets) come from the example
itself, so they cannot drift.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
STEPS = ROOT / "steps"
sys.path.insert(0, str(ROOT))
import export  # noqa: E402 (export.py sits in the repository's root)

SKELETON = "00-skeleton"


class StepsError(Exception):
    """The steps cannot be built or applied as asked."""


@dataclass(frozen=True)
class Step:
    """One step of a chapter, as ``steps.toml`` lists it."""

    number: int
    slug: str
    title: str
    page: str
    look: str = ""

    @property
    def heading(self) -> str:
        """The title of the step's page: ``Step N: Title``."""
        return f"Step {self.number}: {self.title}"

    @property
    def patch_name(self) -> str:
        """The name of the step's patch file."""
        return f"{self.number:02d}-{self.slug}.patch"


@dataclass(frozen=True)
class Exercise:
    """One exercise at the end of a chapter."""

    number: int
    title: str
    page: str
    solution_page: str


@dataclass(frozen=True)
class Chapter:
    """An example's steps, its given files and its exercises."""

    example: str
    package: str
    given: tuple[str, ...]
    steps: tuple[Step, ...]
    exercises: tuple[Exercise, ...]
    folder: Path

    def step(self, number: int) -> Step:
        """The step numbered ``number``."""
        for step in self.steps:
            if step.number == number:
                return step
        raise StepsError(
            f"{self.example} has no step {number}: {self.choices()}"
        )

    def exercise(self, number: int) -> Exercise:
        """The exercise numbered ``number``."""
        for exercise in self.exercises:
            if exercise.number == number:
                return exercise
        raise StepsError(
            f"{self.example} has no exercise {number}: {self.choices()}"
        )

    def choices(self) -> str:
        """What ``check`` accepts for this chapter, in a few words."""
        said = (
            f"check one of its steps, {spans([s.number for s in self.steps])}"
        )
        if self.exercises:
            numbers = [exercise.number for exercise in self.exercises]
            said += f", or an exercise, {spans(numbers, 'exercise-')}"
        return said

    def patch(self, step: Step) -> Path | None:
        """The step's patch, or None for a step that adds no code."""
        path = self.folder / step.patch_name
        return path if path.is_file() else None


def spans(numbers: list[int], prefix: str = "") -> str:
    """``1 to 16``, or ``1, 3`` where numbers are missing."""
    if len(numbers) > 2 and numbers == list(
        range(numbers[0], numbers[-1] + 1)
    ):
        return f"{prefix}{numbers[0]} to {prefix}{numbers[-1]}"
    return ", ".join(f"{prefix}{number}" for number in numbers)


def load(example: str, steps_root: Path = STEPS) -> Chapter:
    """Read ``steps/<example>/steps.toml``."""
    folder = steps_root / example
    if not (folder / "steps.toml").is_file():
        known = sorted(p.parent.name for p in steps_root.glob("*/steps.toml"))
        raise StepsError(
            f"no steps for {example!r}; examples with steps: {known}"
        )
    data = tomllib.loads((folder / "steps.toml").read_text("utf-8"))
    steps = tuple(Step(**step) for step in data["step"])
    numbers = [step.number for step in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise StepsError(f"{folder}/steps.toml: steps must be 1, 2, 3...")
    return Chapter(
        example=example,
        package=data["package"],
        given=tuple(data["given"]),
        steps=steps,
        exercises=tuple(Exercise(**ex) for ex in data.get("exercise", [])),
        folder=folder,
    )


# What a learner types -----------------------------------------------------

#: The folder the learner ran ``run.py`` (or nox) in: nox sessions run in
#: the repository's folder, so run.py and noxfile.py pass it on.
CALLER_DIR = "SHOWCASE_CALLER_DIR"


def caller_dir() -> Path:
    """The folder the learner typed the command in."""
    return Path(os.environ.get(CALLER_DIR) or os.getcwd()).resolve()


def learner_path(path: Path) -> str:
    """``path`` as the learner types it: from their folder if inside it."""
    here, path = caller_dir(), path.resolve()
    if path == here:
        return "."
    if path.is_relative_to(here):
        return str(path.relative_to(here))
    return str(path)


def resolve(path: str | Path) -> Path:
    """A path the learner typed, read from the folder they typed it in."""
    return (caller_dir() / Path(path).expanduser()).resolve()


def windows() -> bool:
    """Whether the learner's commands are Windows ones."""
    return os.name == "nt"


def run_command(args: str, on_windows: bool | None = None) -> str:
    """The command that runs nox session ``args`` through run.py."""
    on_windows = windows() if on_windows is None else on_windows
    python = "py" if on_windows else "python3"
    return f"{python} {learner_path(ROOT / 'run.py')} -s {args}"


def install_commands(on_windows: bool | None = None) -> list[str]:
    """How to install a project written by ``start``, in its folder.

    The shared helpers are inside it (``showcase/``): nothing else to add.
    """
    on_windows = windows() if on_windows is None else on_windows
    if on_windows:
        make, activate = "py -m venv .venv", r".venv\Scripts\activate"
    else:
        make, activate = "python3 -m venv .venv", ". .venv/bin/activate"
    return [make, activate, 'pip install -e ".[test]"']


# Snapshots ---------------------------------------------------------------


def left_behind(relative: Path) -> bool:
    """Whether ``nox -s export`` leaves this path out (caches, data...)."""
    return any(export.LEFT_BEHIND("", [part]) for part in relative.parts)


def files_of(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` that an export would copy, by name."""
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not left_behind(path.relative_to(folder))
    }


def is_given(chapter: Chapter, name: str) -> bool:
    """Whether the learner gets file ``name`` as it is in the example."""
    if not name.startswith(f"{chapter.package}/"):
        return True  # pyproject.toml, README, tests/, showcase/...
    return any(
        name == given or (given.endswith("/") and name.startswith(given))
        for given in chapter.given
    )


def write_snapshot(
    chapter: Chapter, dest: Path, at: int, root: Path = ROOT
) -> Path:
    """Write the example as it stands at the end of step ``at`` to ``dest``.

    Step 0 is the skeleton. ``dest`` must be empty or missing.
    """
    if not 0 <= at <= len(chapter.steps):
        raise StepsError(
            f"{chapter.example} has steps 0 (the skeleton) to "
            f"{len(chapter.steps)}, not {at}"
        )
    try:
        dest = export.export(chapter.example, dest, root=root)
    except export.ExportError as error:
        raise StepsError(str(error)) from error
    for name, path in files_of(dest).items():
        if not is_given(chapter, name):
            path.unlink()
    skeleton = chapter.folder / SKELETON
    for name, path in files_of(skeleton).items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for step in chapter.steps[:at]:
        patch = chapter.patch(step)
        if patch is not None:
            apply_patch(patch.read_text("utf-8"), dest, source=patch.name)
    return dest


# Patches: write and apply unified diffs ------------------------------------

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    """Split ``text`` into lines; a last line without newline is marked."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + NO_NEWLINE
    return lines


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise StepsError(f"{path}: only text files can be steps") from error


def make_patch(before: Path, after: Path) -> str:
    """The unified diff that turns folder ``before`` into ``after``."""
    old, new = files_of(before), files_of(after)
    out: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        a = _read_text(old[name]) if name in old else ""
        b = _read_text(new[name]) if name in new else ""
        if name in old and name in new and a == b:
            continue
        # One header line per file, as `svn diff` writes: patch and
        # git apply skip it; the docs pick a file's part of a patch by it.
        out.append(f"Index: {name}\n")
        diff = difflib.unified_diff(
            _lines(a),
            _lines(b),
            f"a/{name}" if name in old else "/dev/null",
            f"b/{name}" if name in new else "/dev/null",
        )
        for line in diff:
            # difflib writes the marker as a line of its own; keep it so.
            out.append(line if line.endswith("\n") else line + "\n")
    return "".join(out).replace("\n" + NO_NEWLINE, "\n" + NO_NEWLINE)


HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _parse(patch: str) -> list[tuple[str, str, list[list[str]]]]:
    """Split a patch into (old name, new name, hunks)."""
    files: list[tuple[str, str, list[list[str]]]] = []
    lines = patch.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("--- "):
            i += 1
            continue
        old = lines[i][4:].split("\t")[0].strip()
        new = lines[i + 1][4:].split("\t")[0].strip()
        hunks: list[list[str]] = []
        i += 2
        while i < len(lines) and lines[i].startswith("@@"):
            hunk = [lines[i]]
            i += 1
            while i < len(lines) and lines[i][:1] in (" ", "-", "+", "\\"):
                next_file = (
                    lines[i].startswith("--- ")
                    and lines[i + 1 : i + 2] != []
                    and lines[i + 1].startswith("+++ ")
                )
                if next_file:
                    break
                hunk.append(lines[i])
                i += 1
            hunks.append(hunk)
        files.append((old, new, hunks))
    return files


def _strip_prefix(name: str) -> str:
    return name[2:] if name[:2] in ("a/", "b/") else name


def apply_patch(patch: str, folder: Path, source: str = "patch") -> None:
    """Apply a unified diff to ``folder``, exactly: no fuzz, no offset.

    Raises StepsError naming the file and line where the patch does not
    fit.
    """
    for old, new, hunks in _parse(patch):
        name = _strip_prefix(new if new != "/dev/null" else old)
        path = folder / name
        if old == "/dev/null":
            if path.exists():
                raise StepsError(f"{source}: {name} exists already")
            text = ""
        elif not path.is_file():
            raise StepsError(f"{source}: {name} is missing")
        else:
            text = _read_text(path)
        lines = _lines(text)
        result: list[str] = []
        at = 0
        for hunk in hunks:
            match = HUNK.match(hunk[0])
            if match is None:  # pragma: no cover (made by make_patch)
                raise StepsError(f"{source}: bad hunk {hunk[0]!r}")
            start = int(match[1]) - (0 if match[2] == "0" else 1)
            old_lines: list[str] = []
            new_lines: list[str] = []
            body: list[str] = []
            for line in hunk[1:]:
                if line == NO_NEWLINE and body:
                    body[-1] += NO_NEWLINE  # belongs to the line before
                else:
                    body.append(line)
            for line in body:
                if line[0] in " -":
                    old_lines.append(line[1:])
                if line[0] in " +":
                    new_lines.append(line[1:])
            if lines[start : start + len(old_lines)] != old_lines:
                raise StepsError(
                    f"{source}: {name} does not match the patch at line "
                    f"{start + 1}; was it changed since?"
                )
            result += lines[at:start] + new_lines
            at = start + len(old_lines)
        result += lines[at:]
        if new == "/dev/null":
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        out = "".join(result).replace("\n" + NO_NEWLINE, "")
        path.write_bytes(out.encode("utf-8"))


# Comparing a snapshot with the example -----------------------------------


def differences(a: Path, b: Path) -> list[str]:
    """The files that differ between folders ``a`` and ``b``, explained."""
    left, right = files_of(a), files_of(b)
    found = []
    for name in sorted(left.keys() | right.keys()):
        if name not in right:
            found.append(f"{name}: only in {a}")
        elif name not in left:
            found.append(f"{name}: only in {b}")
        elif left[name].read_bytes() != right[name].read_bytes():
            found.append(f"{name}: differs")
    return found


def final_differences(chapter: Chapter, root: Path = ROOT) -> list[str]:
    """How all the steps, applied to the skeleton, differ from the example."""
    with tempfile.TemporaryDirectory() as tmp:
        built = write_snapshot(
            chapter, Path(tmp) / "built", len(chapter.steps), root
        )
        example = export.export(chapter.example, Path(tmp) / "example", root)
        return differences(built, example)
