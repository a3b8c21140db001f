"""In the repository, each example runs with ``uv run``, as its README says.

``uv run`` takes the shared helpers from ``../../shared`` (the example's
``[tool.uv.sources]``). The example and the helpers are copied, at the
same places, so the run leaves nothing in this repository. pytest collects
every test there (they run in ``test-<name>``, on the same packages, and in
an exported copy under ``uv run``: ``test_export.py``), and ``flask`` finds
the app.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from uv import find_uv_bin

from .conftest import EXAMPLES, ROOT
from .test_export import run_in

LEFT_BEHIND = shutil.ignore_patterns(
    ".venv", "instance", "__pycache__", "*.egg-info", ".*_cache",
    ".coverage", "uv.lock",
)  # fmt: skip


def uv_in_place(name: str, tmp: Path) -> dict[str, CompletedProcess]:
    """``uv run`` the README's commands in a copy of the repository."""
    for folder in ("shared", f"examples/{name}"):
        shutil.copytree(ROOT / folder, tmp / folder, ignore=LEFT_BEHIND)
    example, uv = tmp / "examples" / name, find_uv_bin()
    return {
        "pytest": run_in(
            example, uv, "run", "--extra", "test", "pytest", "--collect-only"
        ),
        "routes": run_in(example, uv, "run", "flask", "--app", name, "routes"),
    }


def start_jobs(item, jobs, tmp) -> None:
    """Start the runs of ``uv run`` the test asserts on."""
    if item.originalname == "test_uv_run_in_the_repository":
        name = item.callspec.params["name"]
        folder = tmp.mktemp(f"uv-in-place-{name}")
        jobs.start(("uv in place", name), uv_in_place, name, folder)


@pytest.mark.export
@pytest.mark.parametrize("name", EXAMPLES)
def test_uv_run_in_the_repository(name, jobs):
    """``uv run --extra test pytest`` collects; ``uv run flask`` finds it."""
    done = jobs.result(("uv in place", name))
    tests = done["pytest"]
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " tests collected" in tests.stdout
    routes = done["routes"]
    assert routes.returncode == 0, routes.stdout + routes.stderr
    assert "static" in routes.stdout
