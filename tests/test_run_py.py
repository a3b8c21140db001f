"""``python3 run.py`` works where uv cannot be installed: nox uses pip.

The README's two commands put nox and uv into ``.venv`` and hand over to
nox. Here uv cannot be installed (pip finds no version it may take) and
none is on the PATH: the commands carry on with nox alone, which makes
each session's environment with virtualenv and fills it with pip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

#: What ``nox -l`` and ``nox -s test-hello`` need of the repository.
NEEDED = ["run.py", "noxfile.py", "export.py", "pyproject.toml"]
LEFT_BEHIND = shutil.ignore_patterns(
    ".venv", ".nox", "instance", "__pycache__", "*.egg-info", ".*_cache",
    ".coverage", "uv.lock",
)  # fmt: skip


def without_uv(tmp: Path) -> dict[str, str]:
    """An environment where pip cannot install uv and no uv is found."""
    constraints = tmp / "no-uv.txt"
    constraints.write_text("uv<0\n")  # no release of uv satisfies this
    path = [
        folder
        for folder in os.environ["PATH"].split(os.pathsep)
        if not (Path(folder) / "uv").exists()
        and not (Path(folder) / "uv.exe").exists()
    ]
    leaks = ("VIRTUAL_ENV", "PYTHONPATH", "NOX_", "UV", "FLASK_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(leaks)}
    return {
        **env,
        "PATH": os.pathsep.join(path),
        "PIP_CONSTRAINT": str(constraints),
    }


def copy_repository(repo: Path) -> None:
    """The files ``nox -l`` and ``nox -s test-hello`` read, nothing built."""
    repo.mkdir()
    for name in NEEDED:
        shutil.copy2(ROOT / name, repo / name)
    for folder in ("shared", "examples"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=LEFT_BEHIND)


def fallback_runs(tmp: Path) -> dict[str, subprocess.CompletedProcess]:
    """``run.py -l``, then ``run.py -s test-hello``, where uv cannot be."""
    repo = tmp / "repo"
    copy_repository(repo)
    run = {
        "cwd": repo,
        "env": without_uv(tmp),
        "capture_output": True,
        "text": True,
        "check": False,
    }
    listed = subprocess.run([sys.executable, "run.py", "-l"], **run)
    tested = subprocess.run(
        [sys.executable, "run.py", "-s", "test-hello"], **run
    )
    python = repo / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    has_uv = subprocess.run(
        [python / "python", "-c", "import uv"], capture_output=True
    )
    return {"list": listed, "test": tested, "uv": has_uv}


def start_jobs(item, jobs, tmp) -> None:
    """Start the two runs of ``run.py`` the test asserts on."""
    if item.originalname == "test_readme_commands_work_where_uv_cannot_be":
        jobs.start("run.py without uv", fallback_runs, tmp.mktemp("no-uv"))


def test_readme_commands_work_where_uv_cannot_be(jobs):
    """No uv to install: nox alone, environments by virtualenv and pip."""
    done = jobs.result("run.py without uv")
    listed, tested = done["list"], done["test"]
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "Could not install uv" in listed.stdout
    assert "* test-hello ->" in listed.stdout
    assert done["uv"].returncode != 0  # .venv holds nox, not uv
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output[-4000:]
    assert "Creating virtual environment (virtualenv)" in output
    assert "python -m pip install" in output
    assert "Session test-hello was successful" in output
