"""``nox -s export -- NAME DEST``: an example copied out stands alone."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from uv import find_uv_bin

import export

from .conftest import EXAMPLES

PYPROJECT = """[project]
name = "demo"
dependencies = [
    "Flask>=3.1",
    "flask-showcase-helpers",
]
"""


@pytest.fixture
def repo(tmp_path):
    """A repository with one example, demo, full of local leftovers."""
    example = tmp_path / "repo" / "examples" / "demo"
    for folder in ("demo/__pycache__", "tests", "instance", "d.egg-info"):
        (example / folder).mkdir(parents=True)
    (example / "pyproject.toml").write_text(PYPROJECT)
    (example / "README.md").write_text("# demo\n")
    (example / "demo" / "__init__.py").write_text("")
    (example / "demo" / "__pycache__" / "x.pyc").write_bytes(b"")
    (example / "tests" / "test_demo.py").write_text("")
    (example / "instance" / "demo.sqlite").write_bytes(b"data")
    (example / ".coverage").write_bytes(b"")
    shared = tmp_path / "repo" / "shared" / "showcase"
    shared.mkdir(parents=True)
    (shared / "__init__.py").write_text("# showcase\n")
    return tmp_path / "repo"


def files(folder):
    return sorted(
        str(path.relative_to(folder)).replace(os.sep, "/")
        for path in folder.rglob("*")
        if path.is_file()
    )


def test_export_copies_the_example_and_the_helpers_only(repo, tmp_path):
    dest = export.export("demo", tmp_path / "out", root=repo)
    assert files(dest) == [
        "README.md",
        "demo/__init__.py",
        "pyproject.toml",
        "showcase/__init__.py",
        "tests/test_demo.py",
    ]
    pyproject = (dest / "pyproject.toml").read_text()
    assert pyproject == PYPROJECT.replace(
        '    "flask-showcase-helpers",\n', ""
    )


def test_export_fails_loudly_without_the_dependency_line(repo, tmp_path):
    project = repo / "examples" / "demo" / "pyproject.toml"
    project.write_text(PYPROJECT.replace("flask-showcase-helpers", "x"))
    with pytest.raises(export.ExportError, match="found 0"):
        export.export("demo", tmp_path / "out", root=repo)
    assert not (tmp_path / "out").exists()


def test_export_refuses_unknown_examples_and_full_folders(repo, tmp_path):
    with pytest.raises(export.ExportError, match="no example 'nope'"):
        export.export("nope", tmp_path / "out", root=repo)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    with pytest.raises(export.ExportError, match="not empty"):
        export.export("demo", tmp_path / "full", root=repo)


def test_command_line(tmp_path, capsys):
    assert export.main([]) == 2
    assert export.main(["nope", str(tmp_path / "out")]) == 1
    assert "export: no example 'nope'" in capsys.readouterr().err
    assert export.main(["hello", str(tmp_path / "hello")]) == 0
    assert "pip install -e '.[test]' && pytest" in capsys.readouterr().out


def learner_env() -> dict[str, str]:
    """This environment, without what would leak into a learner's run."""
    # nox points uv at the session's environment (UV_PROJECT_ENVIRONMENT).
    leaks = ("PYTHON", "VIRTUAL_ENV", "FLASK_", "UV_", "NOX_")
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "UV_CACHE_DIR" or not k.startswith(leaks)
    }
    # uv runs this Python and never downloads one.
    return {**env, "UV_PYTHON": sys.executable, "UV_PYTHON_DOWNLOADS": "never"}


def run_in(folder: Path, *command: str) -> subprocess.CompletedProcess:
    """Run ``command`` in ``folder`` as a learner would type it there."""
    return subprocess.run(
        command,
        cwd=folder,
        env=learner_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def where_from(python: str, folder: Path, *packages: str) -> dict[str, bool]:
    """Whether each package is imported from ``folder``, by ``python``."""
    find = "from importlib.util import find_spec as f; print(f({!r}).origin)"
    return {
        package: run_in(
            folder, python, "-c", find.format(package)
        ).stdout.startswith(str(folder))
        for package in packages
    }


def pip_way(name: str, tmp: Path) -> dict[str, Any]:
    """Export, then a new venv, ``pip install -e '.[test]'`` and pytest.

    This Python's pip installs into the new venv (``pip --python``): the
    same resolver and wheels, without a copy of pip in each venv. Nothing
    is byte-compiled at install time; Python does it on first import.
    """
    dest = export.export(name, tmp / name)
    venv.create(tmp / "venv")
    bin_dir = "Scripts" if os.name == "nt" else "bin"
    python = str(tmp / "venv" / bin_dir / "python")
    pip = [sys.executable, "-m", "pip", "--python", python, "install"]
    install = run_in(dest, *pip, "-q", "--no-compile", "-e", f"{dest}[test]")
    if install.returncode != 0:
        return {"install": install}
    return {
        "install": install,
        "from": where_from(python, dest, "showcase", name),
        "pytest": run_in(dest, python, "-m", "pytest", "-q"),
    }


def uv_way(name: str, tmp: Path) -> dict[str, Any]:
    """Export, then ``uv run --extra test pytest`` there, and nothing else."""
    dest = export.export(name, tmp / name)
    uv = find_uv_bin()
    tests = run_in(dest, uv, "run", "--extra", "test", "pytest", "-q")
    python = str(dest / ".venv" / ("Scripts" if os.name == "nt" else "bin"))
    return {
        "pytest": tests,
        "from": where_from(f"{python}/python", dest, "showcase", name),
    }


def start_jobs(item, jobs, tmp) -> None:
    """Start the export, install and test runs a test here asserts on."""
    if item.originalname.startswith("test_exported_example_"):
        name = item.callspec.params["name"]
        for way in (pip_way, uv_way):
            folder = tmp.mktemp(f"export-{name}-{way.__name__}")
            jobs.start((way.__name__, name), way, name, folder)


@pytest.mark.export
@pytest.mark.parametrize("name", EXAMPLES)
def test_exported_example_installs_and_passes_with_pip(name, jobs):
    """Exported, then ``python -m venv`` and ``pip install``: tests pass.

    The commands run in ``jobs`` (see ``pip_way``).
    """
    done = jobs.result(("pip_way", name))
    install = done["install"]
    assert install.returncode == 0, install.stderr[-3000:]
    assert done["from"] == {"showcase": True, name: True}
    tests = done["pytest"]
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]


@pytest.mark.export
@pytest.mark.parametrize("name", EXAMPLES)
def test_exported_example_passes_with_uv_run(name, jobs):
    """Exported, then ``uv run --extra test pytest``: tests pass.

    The commands run in ``jobs`` (see ``uv_way``).
    """
    done = jobs.result(("uv_way", name))
    tests = done["pytest"]
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert done["from"] == {"showcase": True, name: True}
