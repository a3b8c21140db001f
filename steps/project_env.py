"""A learner's build-along project gets an environment: DEST/.venv.

``start --venv`` makes it and installs the project with its test tools;
``check --venv`` reuses it, and installs again only when the project's
pyproject.toml changed (or something else changed what is installed)
since the last install, so a second check is the test run alone.

uv makes and fills the environment when it is there (the ``uv`` package
beside this Python, as ``run.py`` installs it, or ``uv`` on the PATH; ``UV``
in the environment names another); else ``venv`` and pip do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

#: The note an install leaves in the environment: what it was made from.
STAMP = "showcase-installed.txt"


def find_uv() -> str | None:
    """The uv program to use, or None when there is none."""
    named = os.environ.get("UV")
    if named is not None:
        return shutil.which(named)
    try:
        from uv import find_uv_bin
    except ImportError:
        return shutil.which("uv")
    try:
        return find_uv_bin()
    except FileNotFoundError:
        return shutil.which("uv")


def python_in(env: Path) -> Path:
    """The Python of environment ``env`` on this system."""
    if os.name == "nt":
        return env / "Scripts" / "python.exe"
    return env / "bin" / "python"


def site_packages(env: Path) -> Path:
    """Where environment ``env`` keeps its installed packages."""
    found = sorted(env.glob("lib/python*/site-packages"))
    return found[0] if found else env / "Lib" / "site-packages"


def installed_state(project: Path, env: Path) -> str:
    """The project's pyproject.toml and what is installed, in short."""
    pyproject = (project / "pyproject.toml").read_bytes()
    installed = sorted(p.name for p in site_packages(env).glob("*.dist-info"))
    return "\n".join([hashlib.sha256(pyproject).hexdigest(), *installed])


def run(command: list[str]) -> None:
    """Run an install command; stop with its words if it fails."""
    done = subprocess.run(command, check=False)  # noqa: S603 (our tools)
    if done.returncode != 0:
        raise SystemExit(f"could not install: {' '.join(command)}")


def ensure_env(project: Path) -> Path:
    """Make or reuse ``project/.venv`` with the project in it; its Python."""
    env = project / ".venv"
    python = python_in(env)
    stamp = env / STAMP
    state = installed_state(project, env) if python.is_file() else None
    if stamp.is_file() and stamp.read_text("utf-8") == state:
        return python
    uv = find_uv()
    print(
        f"Installing the project and its test tools into {env} "
        f"with {'uv' if uv else 'pip'}...",
        flush=True,
    )
    editable = ["-e", f"{project}[test]"]
    if uv:
        if not python.is_file():
            # --seed: pip too, for a learner who installs with it later.
            here = sys.executable
            run([uv, "venv", "-q", "--seed", "--python", here, str(env)])
        run([uv, "pip", "install", "-q", "--python", str(python), *editable])
    else:
        if not python.is_file():
            venv.create(env, with_pip=True)
        run([str(python), "-m", "pip", "install", "-q", *editable])
    stamp.write_text(installed_state(project, env), "utf-8")
    return python
