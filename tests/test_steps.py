"""The build-along steps (steps/): they end with the example, and they mean
something: the tests of step N fail before step N and pass after it.
"""

import importlib.util
import itertools
import os
import re
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
    "what", ["x", "4-5", "exercise-x", "0", "99", "exercise-9", "-1"]
)
def test_check_says_what_it_cannot_check(tmp_path, what):
    """A step or exercise that steps.toml does not list: one clear line
    naming the ones there are, no test run."""
    start = [sys.executable, ROOT / "steps" / "start.py", "hello"]
    subprocess.run([*start, tmp_path / "p"], capture_output=True, check=True)
    result = check("hello", what, tmp_path / "p")
    assert result.returncode == 1
    chapter = st.load("hello")
    last = len(chapter.steps)
    assert f"check one of its steps, 1 to {last}, or an exercise, " in (
        result.stderr
    )
    assert f"exercise-{len(chapter.exercises)}" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_check_without_a_project_says_how_to_start(tmp_path):
    """No project in DEST: the command that starts one, as typed."""
    result = check("hello", "1", tmp_path)
    assert result.returncode == 1
    assert f"run.py -s start -- hello {tmp_path}" in result.stderr


FAILING_TESTS = """\
import pytest

pytestmark = pytest.mark.step({step})


def test_about_names_the_author():
    \"\"\"The about page names who wrote it.\"\"\"
    assert "Ada" == "Bob"


@pytest.mark.parametrize("n", [1, 2])
def test_counts_to_two(n):
    \"\"\"The counter counts to two.\"\"\"
    assert n == 3
"""


def test_check_lists_every_failing_test_and_its_page(tmp_path):
    """Every failing test of the failing step: its name, its docstring
    (what the page asked), what it got; the page; the command again."""
    chapter = st.load("hello")
    project = st.write_snapshot(chapter, tmp_path / "p", 1)
    tests = project / "tests" / "test_mine.py"
    tests.write_text(FAILING_TESTS.format(step=1))
    result = check("hello", "1", project)
    assert result.returncode == 1
    out = result.stdout
    assert "Step  1 Hello, World!: FAILS (3 of " in out, out
    assert "tests/test_mine.py::test_about_names_the_author" in out
    assert "The page asks: The about page names who wrote it." in out
    assert "Got: assert 'Ada' == 'Bob'" in out
    assert "tests/test_mine.py::test_counts_to_two [1]" in out
    assert "The page asks: The counter counts to two." in out
    assert "Got: assert 1 == 3" in out
    assert "Got: assert 2 == 3" in out
    assert f"Reread: docs/{chapter.step(1).page}.rst" in out
    assert f"run.py -s check -- hello 1 {project}" in out
    assert "nox -s" not in out


#: A strict test of the finished app that the learner's code fails.
STRICT_TEST = """\
import pytest


@pytest.mark.finished
def test_strict():
    assert False
"""


@pytest.mark.parametrize(
    ("what", "said"),
    [("1", "All steps up to 1 pass."), ("exercise-1", ": solved")],
)
def test_check_leaves_out_the_finished_apps_strict_tests(tmp_path, what, said):
    """A test marked ``finished`` holds the finished app to its markup:
    ``check`` leaves it out, for a step and for an exercise (which may
    change that markup); a plain ``pytest`` runs it."""
    chapter = st.load("flaskr")
    at = 1 if what == "1" else len(chapter.steps)
    project = st.write_snapshot(chapter, tmp_path / "p", at)
    if what.startswith("exercise-"):
        solution = solution_of(chapter, 1)
        st.apply_patch(solution.read_text("utf-8"), project, solution.name)
    (project / "tests" / "test_mine.py").write_text(STRICT_TEST)
    result = check("flaskr", what, project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert said in result.stdout


def test_an_exercise_that_breaks_an_earlier_test_is_not_solved(tmp_path):
    """The exercise's tests pass, but a test of step 2 broke: not solved;
    the answer names that test, what it asked and its page."""
    chapter = st.load("hello")
    project = st.write_snapshot(chapter, tmp_path / "p", len(chapter.steps))
    solution = solution_of(chapter, 1)
    st.apply_patch(solution.read_text("utf-8"), project, solution.name)
    (project / "tests" / "test_mine.py").write_text(
        FAILING_TESTS.format(step=2)
    )
    result = check("hello", "exercise-1", project)
    out = result.stdout
    assert result.returncode == 1, out
    assert "The exercise's tests: " in out
    assert "Step  2 Routes and templates: FAILS (3 of" in out
    assert "tests/test_mine.py::test_about_names_the_author" in out
    assert "The page asks: The about page names who wrote it." in out
    assert f"Reread: docs/{chapter.step(2).page}.rst" in out
    assert "not solved yet" in out
    assert ": solved" not in out
    (project / "tests" / "test_mine.py").unlink()
    result = check("hello", "exercise-1", project)
    assert result.returncode == 0, result.stdout
    assert "Exercise 1, Multiply: solved" in result.stdout


def test_a_relative_folder_is_read_from_where_the_learner_is(tmp_path):
    """`python3 run.py -s start -- hello mine` in a folder writes
    folder/mine, though nox runs in the repository's folder: run.py and
    noxfile.py pass the folder on as SHOWCASE_CALLER_DIR."""
    env = dict(os.environ, SHOWCASE_CALLER_DIR=str(tmp_path))
    start = [sys.executable, ROOT / "steps" / "start.py", "hello", "mine"]
    result = subprocess.run(
        start, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert (tmp_path / "mine" / "pyproject.toml").is_file()
    assert not (ROOT / "mine").exists()
    assert "check -- hello 1 mine" in result.stdout
    command = [sys.executable, ROOT / "steps" / "check.py", "hello", "1"]
    result = subprocess.run(
        [*command, "mine"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert f"Checking {tmp_path / 'mine'} against" in result.stdout
    result = subprocess.run(  # no DEST: ./my-hello, there too
        command, cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert f"no project in {tmp_path / 'my-hello'}" in result.stderr


def test_learner_commands_go_through_run_py():
    """The commands `start` and `check` print are run.py's, on Windows
    with `py`; the install lines suit each system's shell."""
    assert st.run_command("check -- hello 1 x", on_windows=False) == (
        f"python3 {st.learner_path(ROOT / 'run.py')} -s check -- hello 1 x"
    )
    assert st.run_command("check -- hello 1 x", on_windows=True).startswith(
        "py "
    )
    assert ".venv\\Scripts\\activate" in st.install_commands(on_windows=True)
    assert 'pip install -e ".[test]"' in st.install_commands(on_windows=False)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_start_writes_a_readme_that_installs_as_start_says(chapter, tmp_path):
    """The README in the learner's folder installs it as `start` printed:
    without `../../shared`, which is not there (the helpers are inside)."""
    start = [sys.executable, ROOT / "steps" / "start.py", chapter.example]
    result = subprocess.run(
        [*start, tmp_path / "p"], capture_output=True, text=True, check=True
    )
    readme = (tmp_path / "p" / "README.md").read_text("utf-8")
    installs = [line for line in readme.splitlines() if "install" in line]
    assert not [line for line in installs if "../../shared" in line]
    assert not [line for line in installs if "..\\..\\shared" in line]
    for line in st.install_commands():
        assert f"  {line}" in result.stdout
        assert f"\n{line}\n" in readme
    for line in st.install_commands(on_windows=True):
        assert f"\n{line}\n" in readme
    assert f"run.py -s check -- {chapter.example} 1 " in readme


def page_title(page: Path) -> str:
    """The first heading of a reStructuredText page."""
    lines = page.read_text("utf-8").splitlines()
    for text, under in itertools.pairwise(lines):
        underline = (
            len(under) >= len(text.strip()) > 0 and len(set(under)) == 1
        )
        if underline and under[0] in "=-~*#^\"'+" and set(text) != set(under):
            return text.strip()
    raise AssertionError(f"{page} has no heading")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_step_titles_are_the_page_titles(chapter):
    """The titles `check` and `start` print are the docs pages' titles."""
    for step in chapter.steps:
        page = ROOT / "docs" / f"{step.page}.rst"
        assert page_title(page) == step.heading, page


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.example)
def test_the_exercises_start_from_the_finished_app(chapter):
    """Every ``start ... --at N`` on an exercises page names the last step:
    the solutions are changes of the finished app."""
    last = len(chapter.steps)
    for page in {exercise.page for exercise in chapter.exercises}:
        ats = re.findall(r"--at (\d+)", read_page(page))
        assert ats, page
        assert {int(at) for at in ats} == {last}, page
    # The instructors' page, where it says how to start the exercises.
    ats = re.findall(
        r"-ex --at (\d+)", read_page(f"instructors/{chapter.example}")
    )
    assert {int(at) for at in ats} <= {last}


def read_page(page: str) -> str:
    """The source of a docs page, ``page`` as steps.toml names it."""
    return (ROOT / "docs" / f"{page}.rst").read_text(encoding="utf-8")
