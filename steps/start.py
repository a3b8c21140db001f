"""Start building an example along its chapter (``nox -s start``).

    python3 steps/start.py hello DEST            # the skeleton: step 0
    python3 steps/start.py hello DEST --at 5     # the app after step 5

DEST gets the example's pyproject.toml, README, the tests of every step,
the shared helpers (as ``nox -s export`` writes them) and the example's
package as it stands at the end of step N. DEST must be empty or missing,
unless ``--force`` is given: then it is replaced. ``--venv`` (as ``nox -s
start`` does) also installs the project into DEST/.venv, with uv when it
is there (``project_env.py``), which ``check --venv`` reuses.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import project_env
import snapshots as st


def main(argv: list[str]) -> int:
    """Write the snapshot asked for; say how to install and check it."""
    parser = argparse.ArgumentParser(prog="start", description=__doc__)
    parser.add_argument("example")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--at", type=int, default=0, metavar="N")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--venv", action="store_true")
    args = parser.parse_args(argv)
    dest = args.dest.expanduser().resolve()
    try:
        chapter = st.load(args.example)
        if dest.exists() and any(dest.iterdir()):
            if not args.force:
                raise st.StepsError(
                    f"{dest} is not empty (--force replaces it)"
                )
            shutil.rmtree(dest)
        st.write_snapshot(chapter, dest, args.at)
    except st.StepsError as error:
        print(f"start: {error}", file=sys.stderr)
        return 1
    where = "the skeleton" if args.at == 0 else f"the end of step {args.at}"
    print(f"Wrote {args.example} at {where} to {dest}.")
    if args.venv:
        project_env.ensure_env(dest)
        print(
            f"Installed it into {dest / '.venv'}: activate that to run "
            "flask and pytest yourself."
        )
    else:
        print(
            f"Install it once:\n"
            f"  cd {dest} && python3 -m venv .venv && . .venv/bin/activate\n"
            f"  pip install -e '.[test]'"
        )
    if args.at < len(chapter.steps):
        step = chapter.step(args.at + 1)
        print(
            f"Next: step {step.number}, {step.title} "
            f"(docs/{step.page}.rst).\n"
            f"Check your work: nox -s check -- {args.example} "
            f"{step.number} {dest}"
        )
    elif chapter.exercises:
        first = chapter.exercises[0]
        print(
            f"Every step is done. Next: the exercises "
            f"(docs/{first.page}.rst).\n"
            f"Check one: nox -s check -- {args.example} "
            f"exercise-{first.number} {dest}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
