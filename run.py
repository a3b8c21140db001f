"""Get nox and run it with nothing but Python 3.10+: ``python3 run.py ARGS``.

    python3 run.py -s serve     # every example on http://127.0.0.1:5000
    python3 run.py              # every test, lint and the docs, as CI does

The first run makes a virtual environment in ``.venv`` with nox and uv in
it, both from the package index; later runs reuse it. nox makes each
session's environment with uv, which is fast; where uv cannot be installed,
nox carries on with virtualenv and pip. If you already have nox, ``nox -s
serve`` and ``nox`` do the same. On Windows, type ``py run.py`` instead of
``python3 run.py``.
"""

import importlib.metadata
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
NOX_REQUIREMENT = "nox>=2025.10.14"
UV_REQUIREMENT = "uv>=0.9"
#: Left in .venv when uv could not be installed, so no run tries again.
NO_UV = VENV / "no-uv.txt"


def venv_python() -> Path:
    """Return the path of the Python inside ``.venv`` on this system."""
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def missing_tools(python: Path) -> list[str]:
    """Which of nox and uv the Python of ``.venv`` cannot import."""
    if not python.exists():
        return ["nox", "uv"]
    find = (
        "import importlib.util as u;"
        "print(*(m for m in ('nox', 'uv') if u.find_spec(m) is None))"
    )
    found = subprocess.run(
        [python, "-c", find], capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        return ["nox", "uv"]
    missing = found.stdout.split()
    if NO_UV.exists() and "uv" in missing:
        missing.remove("uv")
    return missing


def pip_for(python: Path) -> list[str]:
    """A pip that installs into ``.venv``: this Python's, else its own.

    This Python's pip, from 22.3 on, installs into another environment
    (``--python``), which spares ``.venv`` a copy of pip.
    """
    try:
        major, minor = importlib.metadata.version("pip").split(".")[:2]
        usable = (int(major), int(minor)) >= (22, 3)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        usable = False
    if usable:
        return [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(
        [python, "-m", "ensurepip", "--default-pip"],
        capture_output=True,
        check=True,
    )
    return [str(python), "-m", "pip"]


def ensure_nox() -> Path:
    """Put nox and uv into ``.venv``, unless they are there; return Python."""
    python = venv_python()
    missing = missing_tools(python)
    if not missing:
        return python
    print(
        f"Setting up {' and '.join(missing)} in {VENV} (first run only)...",
        flush=True,
    )
    try:
        if not python.exists():
            venv.create(VENV, clear=True, with_pip=False)
        pip = pip_for(python) if "uv" in missing or NO_UV.exists() else []
    except (OSError, subprocess.CalledProcessError):
        sys.exit(
            "Could not create a virtual environment with pip. On Debian or "
            "Ubuntu, install python3-venv first: sudo apt install python3-venv"
        )
    install = ["install", "--quiet"]
    if "uv" in missing:
        done = subprocess.run([*pip, *install, UV_REQUIREMENT], check=False)
        if done.returncode != 0:
            print("Could not install uv: nox will use virtualenv and pip.")
            NO_UV.write_text("uv could not be installed here.\n")
    if "nox" in missing:
        # uv installs nox in a second; pip, where uv could not be installed.
        here = str(python)
        uv = [here, "-m", "uv", "pip", "install", "-q", "--python", here]
        installer = [*pip, *install] if NO_UV.exists() else uv
        subprocess.run([*installer, NOX_REQUIREMENT], check=True)
    return python


def main() -> int:
    """Run nox from ``.venv`` in the repository root with these arguments."""
    if sys.version_info < (3, 10):  # noqa: UP036 (this script must explain, not crash, on old Pythons)
        sys.exit("The Flask showcase needs Python 3.10 or newer.")
    python = ensure_nox()
    # nox runs in the repository's folder; start and check read a relative
    # folder from the one the learner typed the command in.
    env = dict(os.environ)
    env.setdefault("SHOWCASE_CALLER_DIR", os.getcwd())
    return subprocess.run(
        [python, "-m", "nox", *sys.argv[1:]], cwd=ROOT, env=env, check=False
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
