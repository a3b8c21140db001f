"""Check a learner's project, step by step (``run.py -s check``).

    python3 steps/check.py [--venv] hello 5 [DEST]           # steps 1 to 5
    python3 steps/check.py [--venv] hello exercise-1 [DEST]  # one exercise

DEST defaults to ``./my-hello``, read (as a relative DEST is) from the
folder the command was typed in. The tests of steps 1 to N (the example's
own tests, each marked with its step) run against DEST, as DEST's own
``pytest`` would run them, without the coverage threshold. The answer says
which step passes, which fails, every failing test of the first failing
step (what its page asked, what the test got) and the page to reread. An
exercise runs its own tests, then every test of the chapter: breaking one
is not solving the exercise. The exit status is 1 when a test fails.

The tests run in this Python, or with ``--venv`` (as ``nox -s check``
does) in DEST's own environment, DEST/.venv, made or brought up to date
first (``project_env.py``). Either way DEST comes first on the import path
and the site-packages' ``.pth`` files are not read (``python -S``): a copy
of the example installed there, even in editable mode, cannot hide DEST's
code.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

import project_env
import snapshots as st

HERE = Path(__file__).resolve().parent
#: The report's key for tests that name no step (an exercise's, yours).
UNMARKED = 0


def page_hint(page: str) -> str:
    """Where to reread a docs page (also served by the portal at /docs/)."""
    return f"docs/{page}.rst"


#: A Python to run the tests with, and its site-packages folders.
Interpreter = tuple[str, list[str]]


def this_python() -> Interpreter:
    """This Python, and the site-packages ``python -S`` would not add."""
    packages = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        packages.append(site.getusersitepackages())
    return sys.executable, packages


def project_python(dest: Path) -> Interpreter:
    """DEST's own environment, made or brought up to date first."""
    python = project_env.ensure_env(dest)
    packages = project_env.site_packages(dest / ".venv")
    return str(python), [str(packages)]


def run_pytest(
    dest: Path, args: list[str], report: Path, python: Interpreter
) -> str:
    """Run pytest in DEST's setting; return its output."""
    executable, packages = python
    # The plugin's own folder, not steps/: steps/hello would be a namespace
    # package named hello.
    path = [str(dest), str(HERE / "plugin"), *packages]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    env.pop("PYTHONSTARTUP", None)
    command = [
        executable, "-S", "-m", "pytest", "-p", "check_plugin",
        "-p", "no:cacheprovider", "--no-cov", "-q", "--no-header",
        "--continue-on-collection-errors", "--steps-report", str(report),
        *args,
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 (this Python, our arguments)
        command,
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def load_report(report: Path, output: str) -> dict[int, dict]:
    """The plugin's report; pytest's own words if it wrote none."""
    if not report.is_file():
        raise st.StepsError(
            "the tests could not start. pytest said:\n"
            + "\n".join(output.strip().splitlines()[-12:])
        )
    return {int(k): v for k, v in json.loads(report.read_text()).items()}


def describe_failures(failures: list[dict[str, str]]) -> list[str]:
    """Every failing test: its name, what the page asked, what it got.

    The cases of one parametrized test that fail the same way are one
    entry.
    """
    groups: dict[tuple[str, str, str], list[str]] = {}
    for failure in failures:
        name, _, case = failure["test"].partition("[")
        key = (name, failure["asked"], failure["got"])
        groups.setdefault(key, []).append(case.removesuffix("]"))
    lines = []
    for (name, asked, got), cases in groups.items():
        shown = ", ".join(f"[{case}]" for case in cases if case)
        lines.append(f"  - {name}{' ' + shown if shown else ''}")
        lines.append(f"    The page asks: {asked}")
        first, *more = got.splitlines() or [""]
        lines.append(f"    Got: {first}")
        lines += [f"         {line}" for line in more]
    return lines


def check_again(chapter: st.Chapter, what: str, dest: Path) -> str:
    """The command that runs this check again."""
    where = st.learner_path(dest)
    return "  " + st.run_command(f"check -- {chapter.example} {what} {where}")


def step_results(
    chapter: st.Chapter, results: dict[int, dict], upto: int
) -> tuple[list[str], list[tuple[str, str, dict]]]:
    """A line per step, and the failing ones: (heading, page, entry)."""
    lines: list[str] = []
    failing: list[tuple[str, str, dict]] = []
    for step in chapter.steps[:upto]:
        entry = results.get(step.number)
        head = f"  Step {step.number:>2} {step.title}:"
        if entry is None:
            lines.append(f"{head} {step.look or 'nothing to test.'}")
        elif entry["failed"]:
            failing.append((step.heading, step.page, entry))
            lines.append(f"{head} FAILS ({entry['failed']} of "
                         f"{entry['tests']} tests)")  # fmt: skip
        else:
            lines.append(f"{head} passes ({entry['tests']} tests)")
    unmarked = results.get(UNMARKED, {"failed": 0})
    if unmarked["failed"]:
        lines.append(f"  Tests that name no step: FAILS ({unmarked['failed']}"
                     f" of {unmarked['tests']} tests)")  # fmt: skip
        failing.append(("Tests that name no step", "", unmarked))
    return lines, failing


def explain(heading: str, page: str, entry: dict) -> list[str]:
    """Every failing test of one step, and the page that teaches it."""
    count = entry["failed"]
    lines = [f"{count} test{'s' if count > 1 else ''} of \"{heading}\" "
             f"fail{'' if count > 1 else 's'}:"]  # fmt: skip
    lines += describe_failures(entry["failures"])
    if page:
        lines.append(f'Reread: {page_hint(page)} ("{heading}")')
    return lines


def check_steps(
    chapter: st.Chapter, upto: int, dest: Path, python: Interpreter
) -> int:
    """Run steps 1..upto against ``dest``; print the answer."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        output = run_pytest(dest, [f"--steps-upto={upto}"], report, python)
        results = load_report(report, output)
    print(f"Checking {dest} against steps 1 to {upto} of {chapter.example}:")
    lines, failing = step_results(chapter, results, upto)
    print(*lines, sep="\n")
    if failing:
        print()
        print(*explain(*failing[0]), sep="\n")
        print(f"{len(failing)} step(s) fail. Fix the first one, then check "
              "again:")  # fmt: skip
        print(check_again(chapter, str(upto), dest))
        return 1
    print(f"All steps up to {upto} pass. Well done!")
    return 0


def exercise_results(
    dest: Path, tests: Path, python: Interpreter
) -> dict[int, dict]:
    """Run an exercise's tests (the files in ``tests``) against ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        # The exercise's tests sit next to a copy of DEST's conftest.py
        # (and its data), so they get DEST's own fixtures; DEST itself is
        # not touched.
        folder = Path(tmp) / "tests"
        shutil.copytree(
            dest / "tests",
            folder,
            ignore=shutil.ignore_patterns("test_*.py", "__pycache__"),
        )
        for test in tests.glob("test_*.py"):
            shutil.copyfile(test, folder / test.name)
        report = Path(tmp) / "report.json"
        args = ["-c", str(dest / "pyproject.toml"), "--rootdir", tmp, tmp]
        output = run_pytest(dest, args, report, python)
        return load_report(report, output)


def check_exercise(
    chapter: st.Chapter, number: int, dest: Path, python: Interpreter
) -> int:
    """Run exercise ``number``'s tests, then the chapter's whole suite (the
    tests of every step, and the learner's own) against ``dest``; print
    the answer. An exercise that breaks an earlier test is not solved."""
    exercise = chapter.exercise(number)
    tests = chapter.folder / "exercises" / str(number)
    results = exercise_results(dest, tests, python)
    entry = results.get(UNMARKED, {"tests": 0, "failed": 0})
    upto = len(chapter.steps)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        # Every step's tests (and the learner's), not the finished app's.
        every_step = [f"--steps-upto={upto}"]
        suite = load_report(
            report, run_pytest(dest, every_step, report, python)
        )
    title = f"Exercise {number}, {exercise.title}"
    print(f"Checking {dest} against exercise {number} of {chapter.example}:")
    print(f"  The exercise's tests: {entry['tests'] - entry['failed']} of "
          f"{entry['tests']} pass")  # fmt: skip
    lines, failing = step_results(chapter, suite, upto)
    broken = sum(found["failed"] for _, _, found in failing)
    if broken:
        print(f"  The chapter's tests (steps 1 to {upto}, and yours): "
              f"{broken} broke:")  # fmt: skip
        print(*(line for line in lines if "FAILS" in line), sep="\n")
    else:
        tested = sum(found["tests"] for found in suite.values())
        print(f"  The chapter's tests (steps 1 to {upto}, and yours): all "
              f"{tested} pass")  # fmt: skip
    if entry["failed"] or not entry["tests"]:
        print()
        if entry["failed"]:
            print(*explain(title, exercise.page, entry), sep="\n")
        else:
            print(f"No test of the exercise ran. Reread: "
                  f"{page_hint(exercise.page)}")  # fmt: skip
    for heading, page, found in failing:
        print()
        print("Your change broke a test that passed before: make it pass "
              "again.")  # fmt: skip
        print(*explain(heading, page, found), sep="\n")
    if entry["failed"] or not entry["tests"] or broken:
        print(f"{title}: not solved yet. Check again:")
        print(check_again(chapter, f"exercise-{number}", dest))
        return 1
    print(f"{title}: solved ({entry['tests']} tests pass, and every test of "
          f"the chapter). The worked solution: "
          f"{page_hint(exercise.solution_page)}")  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    """``[--venv] EXAMPLE N|exercise-K [DEST]``."""
    own_env = "--venv" in argv
    argv = [arg for arg in argv if arg != "--venv"]
    if len(argv) not in (2, 3):
        usage = st.run_command("check -- EXAMPLE N|exercise-K [DEST]")
        print(f"usage: {usage}\n{__doc__}", file=sys.stderr)
        return 2
    example, what = argv[0], argv[1]
    dest = st.resolve(argv[2] if len(argv) == 3 else f"my-{example}")
    try:
        chapter = st.load(example)
        exercise = what.startswith("exercise-")
        digits = what[9:] if exercise else what
        if not digits.isdigit():
            raise st.StepsError(
                f"{what!r} is not a step of {example}: {chapter.choices()}"
            )
        number = int(digits)
        # Say what cannot be checked before installing anything.
        if exercise:
            chapter.exercise(number)
        else:
            chapter.step(number)
        if not (dest / "pyproject.toml").is_file():
            start = st.run_command(
                f"start -- {example} {st.learner_path(dest)}"
            )
            raise st.StepsError(
                f"no project in {dest}: start one with\n  {start}"
            )
        python = project_python(dest) if own_env else this_python()
        if exercise:
            return check_exercise(chapter, number, dest, python)
        return check_steps(chapter, number, dest, python)
    except st.StepsError as error:
        print(f"check: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
