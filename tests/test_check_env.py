"""``nox -s start`` and ``check`` keep the learner's project environment.

``start --venv`` installs the project into its own ``.venv``; ``check
--venv`` reuses it and installs again only when the project's
pyproject.toml changed: a second check of a step is the test run alone.
With uv (the test session has it) and without (``UV`` names no program):
then ``venv`` and pip do the same.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_export import learner_env
from .test_steps import CHAPTERS

INSTALLING = "Installing"


def first_step_with_code(example: str) -> int:
    """The number of the first step of ``example`` that adds code."""
    (chapter,) = [c for c in CHAPTERS if c.example == example]
    return next(s.number for s in chapter.steps if chapter.patch(s))


def steps_tool(tool: str, *args: str | Path, env: dict[str, str]):
    """Run ``steps/<tool>.py --venv ARGS`` as the nox session does."""
    return subprocess.run(
        [sys.executable, ROOT / "steps" / f"{tool}.py", "--venv", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def start_and_check(example: str, tmp: Path, uv: bool) -> list:
    """Start at a step, check it twice, change pyproject.toml, check."""
    env = learner_env()
    if not uv:
        env["UV"] = str(tmp / "no-uv-here")
    step = str(first_step_with_code(example))
    project = tmp / "project"
    runs = [steps_tool("start", example, project, "--at", step, env=env)]
    runs += [steps_tool("check", example, step, project, env=env)]
    runs += [steps_tool("check", example, step, project, env=env)]
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "# a learner's note\n")
    runs += [steps_tool("check", example, step, project, env=env)]
    runs += [steps_tool("check", example, step, project, env=env)]
    return runs


def start_jobs(item, jobs, tmp) -> None:
    """Start the start and check runs the test asserts on."""
    if item.originalname == "test_check_installs_only_when_pyproject_changes":
        tool, example = (item.callspec.params[k] for k in ("tool", "example"))
        folder = tmp.mktemp(f"check-env-{tool}")
        jobs.start(("check env", tool), start_and_check, example, folder,
                   tool == "uv")  # fmt: skip


@pytest.mark.export
@pytest.mark.parametrize(
    ("tool", "example"),
    [("uv", "flaskr"), ("pip", "hello")],  # pip is slow: the smaller one
)
def test_check_installs_only_when_pyproject_changes(tool, example, jobs):
    """start installs; check reuses; a changed pyproject.toml installs."""
    start, first, second, changed, after = jobs.result(("check env", tool))
    for run in (start, first, second, changed, after):
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{INSTALLING} the project and its test tools" in start.stdout
    assert f"with {tool}..." in start.stdout
    for run in (first, second, after):
        assert INSTALLING not in run.stdout
        assert "pass" in run.stdout
    assert INSTALLING in changed.stdout
