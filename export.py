"""Copy one example out as a project that stands alone (stdlib only).

    nox -s export -- flaskr ~/flaskr    # or: python3 export.py flaskr ~/flaskr

The copy holds the example's own files (pyproject.toml, README.md, its
package, tests/ and anything else it keeps, without instance/ data or
caches) and a copy of the shared helpers as ``showcase/``, which its
pyproject.toml already packages. The ``flask-showcase-helpers`` dependency,
which only this repository can provide, is dropped.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

#: Never copied: local data, build output and caches.
LEFT_BEHIND = shutil.ignore_patterns(
    "instance",
    "__pycache__",
    "*.pyc",
    "*.egg-info",
    "build",
    "dist",
    ".venv",
    ".coverage",
    ".coverage.*",
    "htmlcov",
    ".*_cache",
)

#: The dependency line on the shared helpers in an example's pyproject.toml.
SHARED_DEPENDENCY = re.compile(
    r'^[ \t]*"flask-showcase-helpers[^"]*",?[ \t]*\n', re.MULTILINE
)


class ExportError(Exception):
    """The example cannot be exported as asked."""


def export(name: str, dest: str | Path, root: Path = ROOT) -> Path:
    """Write example ``name`` to ``dest`` as a standalone project."""
    source = root / "examples" / name
    if not (source / "pyproject.toml").is_file():
        raise ExportError(f"no example {name!r} in {root / 'examples'}")
    dest = Path(dest).expanduser().resolve()
    if dest.exists() and any(dest.iterdir()):
        raise ExportError(f"{dest} exists and is not empty")
    pyproject = (source / "pyproject.toml").read_text("utf-8")
    standalone, found = SHARED_DEPENDENCY.subn("", pyproject)
    if found != 1:
        raise ExportError(
            f"{source / 'pyproject.toml'}: expected one line "
            f'"flask-showcase-helpers", in its dependencies, found {found}'
        )
    shutil.copytree(source, dest, ignore=LEFT_BEHIND, dirs_exist_ok=True)
    shutil.copytree(
        root / "shared" / "showcase", dest / "showcase", ignore=LEFT_BEHIND
    )
    (dest / "pyproject.toml").write_text(standalone, "utf-8")
    return dest


def main(argv: list[str]) -> int:
    """Export the example named in ``argv`` (``NAME DEST``)."""
    if len(argv) != 2:
        print("usage: export.py NAME DEST", file=sys.stderr)
        return 2
    try:
        dest = export(argv[0], argv[1])
    except ExportError as error:
        print(f"export: {error}", file=sys.stderr)
        return 1
    print(
        f"Exported {argv[0]} to {dest}. Take it away with:\n"
        f"  cd {dest} && python3 -m venv .venv && . .venv/bin/activate\n"
        "  pip install -e '.[test]' && pytest"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
