"""Check a learner's project, step by step (``nox -s check``).

    python3 steps/check.py [--venv] hello 5 [DEST]           # steps 1 to 5
    python3 steps/check.py [--venv] hello exercise-1 [DEST]  # one exercise

DEST defaults to ``./my-hello``. The tests of steps 1 to N (the example's
own tests, each marked with its step) run against DEST, as DEST's own
``pytest`` would run them, without the coverage threshold. The answer says
which step passes, which fails, the first failing expectation and the page
to reread. The exit status is 1 when a step fails.

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


def describe_failure(entry: dict) -> list[str]:
    """The first failing expectation, in a learner's words."""
    first = entry["first"]
    return [
        f"    Expected: {first['expected']}",
        f"    Got:      {first['got']}",
        f"    (test {first['test']})",
    ]


def check_steps(
    chapter: st.Chapter, upto: int, dest: Path, python: Interpreter
) -> int:
    """Run steps 1..upto against ``dest``; print the answer."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        output = run_pytest(dest, [f"--steps-upto={upto}"], report, python)
        results = load_report(report, output)
    print(f"Checking {dest} against steps 1 to {upto} of {chapter.example}:")
    failed: list[st.Step | None] = []
    for step in chapter.steps[:upto]:
        entry = results.get(step.number)
        head = f"  Step {step.number:>2} {step.title}:"
        if entry is None:
            print(f"{head} {step.look or 'nothing to test.'}")
        elif entry["failed"]:
            failed.append(step)
            print(f"{head} FAILS ({entry['failed']} of {entry['tests']} "
                  "tests)")  # fmt: skip
            if len(failed) == 1:
                print(*describe_failure(entry), sep="\n")
                print(f"    Reread: {page_hint(step.page)}")
        else:
            print(f"{head} passes ({entry['tests']} tests)")
    unmarked = results.get(0)
    if unmarked and unmarked["failed"]:
        failed.append(None)
        print("  Tests that name no step failed:")
        print(*describe_failure(unmarked), sep="\n")
    if failed:
        print(f"{len(failed)} step(s) fail. Fix the first one, then check "
              "again.")  # fmt: skip
        return 1
    print(f"All steps up to {upto} pass. Well done!")
    return 0


def check_exercise(
    chapter: st.Chapter, number: int, dest: Path, python: Interpreter
) -> int:
    """Run exercise ``number``'s tests against ``dest``; print the answer."""
    exercise = chapter.exercise(number)
    tests = chapter.folder / "exercises" / str(number)
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
        results = load_report(report, output)
    entry = results.get(0, {"tests": 0, "failed": 0})
    title = f"Exercise {number}, {exercise.title}"
    if entry["failed"] or not entry["tests"]:
        print(f"{title}: not solved yet ({entry['failed']} of "
              f"{entry['tests']} tests fail).")  # fmt: skip
        if entry.get("first"):
            print(*describe_failure(entry), sep="\n")
        print(f"    Reread: {page_hint(exercise.page)}")
        return 1
    print(f"{title}: solved ({entry['tests']} tests pass). The worked "
          f"solution: {page_hint(exercise.solution_page)}")  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    """``[--venv] EXAMPLE N|exercise-K [DEST]``."""
    own_env = "--venv" in argv
    argv = [arg for arg in argv if arg != "--venv"]
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    example, what = argv[0], argv[1]
    dest = Path(argv[2] if len(argv) == 3 else f"my-{example}").resolve()
    try:
        chapter = st.load(example)
        if not (dest / "pyproject.toml").is_file():
            raise st.StepsError(
                f"no project in {dest}: start one with "
                f"`nox -s start -- {example} {dest}`"
            )
        exercise = what.startswith("exercise-")
        number = int(what[9:] if exercise else what)
        # Say what cannot be checked before installing anything.
        if exercise:
            chapter.exercise(number)
        else:
            chapter.step(number)
        python = project_python(dest) if own_env else this_python()
        if exercise:
            return check_exercise(chapter, number, dest, python)
        return check_steps(chapter, number, dest, python)
    except ValueError:
        print(f"check: {what!r} is not a step number or exercise-K",
              file=sys.stderr)  # fmt: skip
        return 2
    except st.StepsError as error:
        print(f"check: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
