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

CHAPTERS = [
    st.load(p.parent.name) for p in sorted(ROOT.glob("steps/*/steps.toml"))
]


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


def step_lines(result: subprocess.CompletedProcess, steps) -> dict[int, str]:
    """The line of each of ``steps`` in the answer of ``check``."""
    return {
        step.number: next(
            line
            for line in result.stdout.splitlines()
            if line.startswith(f"  Step {step.number:>2} ")
        )
        for step in steps
    }


def checks_of(chapter) -> list[tuple[int, int]]:
    """The checks that prove the steps: ``(n, upto)``, run at step n-1.

    At step N-1, ``check N`` runs steps 1 to N. A step without code (no
    patch) has no tests; its snapshot is the one before it, so the same
    check covers it and runs on to the next step with code.
    """
    last = len(chapter.steps)
    found = []
    n = 1
    while n <= last:
        upto = n
        while upto < last and chapter.patch(chapter.step(upto)) is None:
            upto += 1
        found.append((n, upto))
        n = upto + 1
    return found


def check_snapshot(chapter, at: int, what: str, folder: Path, solution=None):
    """Write the snapshot at step ``at``, maybe solved; run ``check`` on it."""
    snapshot = st.write_snapshot(chapter, folder / "snapshot", at)
    if solution is not None:
        st.apply_patch(solution.read_text("utf-8"), snapshot, solution.name)
    return check(chapter.example, what, snapshot)


def solution_of(chapter, number: int) -> Path:
    """The worked solution of an exercise, as a patch to the finished app."""
    return chapter.folder / "exercises" / str(number) / "solution.patch"


def start_jobs(item, jobs, tmp) -> None:
    """Start the check runs a test of this module asserts on."""
    name = item.originalname
    if name == "test_each_step_is_checked":
        chapter = item.callspec.params["chapter"]
        last = len(chapter.steps)
        for n, upto in [*checks_of(chapter), (last + 1, last)]:
            folder = tmp.mktemp(f"{chapter.example}-{n - 1}")
            at = (chapter.example, n - 1, str(upto))
            jobs.start(at, check_snapshot, chapter, n - 1, str(upto), folder)
    elif name == "test_exercise_solution_passes_and_the_app_fails":
        chapter = item.callspec.params["chapter"]
        number = item.callspec.params["number"]
        what, last = f"exercise-{number}", len(chapter.steps)
        for solved in (False, True):
            folder = tmp.mktemp(f"{chapter.example}-{what}")
            solution = solution_of(chapter, number) if solved else None
            key = (chapter.example, last, what, solved)
            jobs.start(
                key, check_snapshot, chapter, last, what, folder, solution
            )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_each_step_is_checked(chapter, jobs):
    """At step N-1, ``check N`` fails on step N only; at the end, all pass.

    One check per snapshot (see ``checks_of``): at step N-1, ``check N``
    must show steps 1 to N-1 passing and step N failing; a step without
    code says what to look at. The last check runs every step at the end.
    The checks run in ``jobs``, several at once.
    """
    for n, upto in checks_of(chapter):
        result = jobs.result((chapter.example, n - 1, str(upto)))
        output = result.stdout + result.stderr
        lines = step_lines(result, chapter.steps[:upto])
        for step in chapter.steps[: n - 1]:
            assert (step.look or "passes") in lines[step.number], output
        for step in chapter.steps[n - 1 : upto]:
            if chapter.patch(step) is None:
                say = f"step {step.number} adds no code: say what to look at"
                assert step.look, say
                assert step.look in lines[step.number], output
            else:
                assert step.number == upto
                assert result.returncode == 1, output
                assert "FAILS" in lines[upto], output
                assert "1 step(s) fail." in output, output
                assert f"Reread: docs/{step.page}.rst" in output
        if chapter.patch(chapter.step(upto)) is None:
            assert result.returncode == 0, output
    last = len(chapter.steps)
    result = jobs.result((chapter.example, last, str(last)))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"All steps up to {last} pass." in output
    for step in chapter.steps:
        line = step_lines(result, [step])[step.number]
        assert (step.look or "passes") in line, output


@pytest.mark.parametrize(
    ("chapter", "number"),
    [(c, e.number) for c in CHAPTERS for e in c.exercises],
    ids=lambda value: getattr(value, "example", str(value)),
)
def test_exercise_solution_passes_and_the_app_fails(chapter, number, jobs):
    """The finished app fails an exercise's tests; its solution passes."""
    at = (chapter.example, len(chapter.steps), f"exercise-{number}")
    result = jobs.result((*at, False))
    assert result.returncode == 1, result.stdout + result.stderr
    result = jobs.result((*at, True))
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


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_start_names_what_comes_next(chapter, tmp_path):
    """`nox -s start` names the next step, or the exercises after the last."""
    start = [sys.executable, ROOT / "steps" / "start.py", chapter.example]
    result = subprocess.run(
        [*start, tmp_path / "a", "--at", "0"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    first = chapter.step(1)
    assert f"Next: step 1, {first.title}" in result.stdout
    assert f"check -- {chapter.example} 1 " in result.stdout
    last = str(len(chapter.steps))
    result = subprocess.run(
        [*start, tmp_path / "b", "--at", last],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "Next: step" not in result.stdout
    exercise = chapter.exercises[0]
    assert f"Next: the exercises (docs/{exercise.page}.rst)" in result.stdout
    assert f"exercise-{exercise.number} " in result.stdout


@pytest.mark.parametrize(
    ("what", "status", "says"),
    [
        ("x", 2, "'x' is not a step number or exercise-K"),
        ("4-5", 2, "'4-5' is not a step number or exercise-K"),
        ("exercise-x", 2, "is not a step number or exercise-K"),
        ("0", 1, "hello has steps 1 to"),
        ("99", 1, "hello has steps 1 to"),
        ("exercise-9", 1, "hello has no exercise 9"),
    ],
)
def test_check_says_what_it_cannot_check(tmp_path, what, status, says):
    """A step or exercise that does not exist: one clear line, no test run."""
    start = [sys.executable, ROOT / "steps" / "start.py", "hello"]
    subprocess.run([*start, tmp_path / "p"], capture_output=True, check=True)
    result = check("hello", what, tmp_path / "p")
    assert result.returncode == status
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_check_without_a_project_says_how_to_start(tmp_path):
    result = check("hello", "1", tmp_path)
    assert result.returncode == 1
    assert "start one with `nox -s start -- hello" in result.stderr
