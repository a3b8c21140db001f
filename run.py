"""Get nox and run it with nothing but Python 3.10+: ``python3 run.py ARGS``.

    python3 run.py -s serve     # every example on http://127.0.0.1:5000
    python3 run.py              # every test, lint and the docs, as CI does

The first run makes a virtual environment in ``.venv`` with nox in it; later
runs reuse it. If you already have nox, ``nox -s serve`` and ``nox`` do the
same. On Windows, type ``py run.py`` instead of ``python3 run.py``.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
NOX_REQUIREMENT = "nox>=2024.4.15"


def venv_python() -> Path:
    """Return the path of the Python inside ``.venv`` on this system."""
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def ensure_nox() -> Path:
    """Create ``.venv`` with nox in it, unless it is there; return Python."""
    python = venv_python()
    has_nox = (
        python.exists()
        and subprocess.run(
            [python, "-c", "import nox"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not has_nox:
        print(f"Setting up nox in {VENV} (first run only)...", flush=True)
        try:
            venv.create(VENV, with_pip=True, clear=True)
        except (OSError, subprocess.CalledProcessError):
            sys.exit(
                "Could not create a virtual environment. On Debian or Ubuntu, "
                "install python3-venv first: sudo apt install python3-venv"
            )
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", NOX_REQUIREMENT],
            check=True,
        )
    return python


def main() -> int:
    """Run nox from ``.venv`` in the repository root with these arguments."""
    if sys.version_info < (3, 10):  # noqa: UP036 (this script must explain, not crash, on old Pythons)
        sys.exit("The Flask showcase needs Python 3.10 or newer.")
    python = ensure_nox()
    return subprocess.run(
        [python, "-m", "nox", *sys.argv[1:]], cwd=ROOT, check=False
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
