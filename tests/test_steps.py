"""The build-along steps (steps/): they end with the example, and they mean
something: the tests of step N fail before step N and pass after it.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_snapshots():
    """Load steps/snapshots.py without putting steps/ on sys.path.

    On sys.path, steps/hello would be a namespace package named hello.
    """
    spec = importlib.util.spec_from_file_location(
        "snapshots", ROOT / "steps" / "snapshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["snapshots"] = module  # its dataclasses look it up there
    spec.loader.exec_module(module)
    return module


st = load_snapshots()

CHAPTERS = [st.load(p.parent.name) for p in ROOT.glob("steps/*/steps.toml")]


def check(example: str, what: str, dest: Path) -> subprocess.CompletedProcess:
    """Run ``steps/check.py`` as ``nox -s check`` does, one process."""
    return subprocess.run(
        [sys.executable, ROOT / "steps" / "check.py", example, what, dest],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_steps_end_with_the_example(chapter):
    """All patches applied to the skeleton give the example, file by file."""
    assert st.final_differences(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_each_step_is_checked(chapter, tmp_path):
    """At step N-1, check N fails on step N only; at step N it passes.

    One check per snapshot: at step N-1, ``check N`` shows steps 1 to N-1
    passing (what ``check N-1`` would run) and step N failing. A step
    without code (no patch) has no tests and says what to look at.
    """
    last = len(chapter.steps)
    for n in range(1, last + 2):
        snapshot = st.write_snapshot(chapter, tmp_path / str(n - 1), n - 1)
        result = check(chapter.example, str(min(n, last)), snapshot)
        output = result.stdout + result.stderr
        lines = {
            step.number: next(
                line
                for line in result.stdout.splitlines()
                if line.startswith(f"  Step {step.number:>2} ")
            )
            for step in chapter.steps[:n]
        }
        for step in chapter.steps[: n - 1]:
            done = step.look or "passes"
            assert done in lines[step.number], output
        if n > last:
            assert result.returncode == 0, output
            assert f"All steps up to {last} pass." in output
            continue
        step = chapter.step(n)
        if chapter.patch(step) is None:
            assert step.look, f"step {n} adds no code: say what to look at"
            assert result.returncode == 0, output
            assert step.look in lines[n]
        else:
            assert result.returncode == 1, output
            assert "FAILS" in lines[n], output
            assert f"Reread: docs/{step.page}.rst" in output


@pytest.mark.parametrize(
    ("chapter", "number"),
    [(c, e.number) for c in CHAPTERS for e in c.exercises],
    ids=lambda value: getattr(value, "example", str(value)),
)
def test_exercise_solution_passes_and_the_app_fails(chapter, number, tmp_path):
    """The finished app fails an exercise's tests; its solution passes."""
    app = st.write_snapshot(chapter, tmp_path / "app", len(chapter.steps))
    result = check(chapter.example, f"exercise-{number}", app)
    assert result.returncode == 1, result.stdout + result.stderr
    solution = chapter.folder / "exercises" / str(number) / "solution.patch"
    st.apply_patch(solution.read_text("utf-8"), app, source=solution.name)
    result = check(chapter.example, f"exercise-{number}", app)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "solved" in result.stdout


def test_start_refuses_a_folder_that_is_not_empty(tmp_path):
    """`nox -s start` never overwrites a learner's work without --force."""
    (tmp_path / "work.py").write_text("mine")
    start = [sys.executable, ROOT / "steps" / "start.py", "hello", tmp_path]
    result = subprocess.run(start, capture_output=True, text=True)
    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert (tmp_path / "work.py").read_text() == "mine"
    result = subprocess.run([*start, "--force", "--at", "2"], check=True)
    assert not (tmp_path / "work.py").exists()
    assert (tmp_path / "hello" / "minimal.py").is_file()
