"""Start building an example along its chapter (``run.py -s start``).

    python3 steps/start.py hello DEST            # the skeleton: step 0
    python3 steps/start.py hello DEST --at 5     # the app after step 5

DEST gets the example's pyproject.toml, README, the tests of every step,
the shared helpers (as ``nox -s export`` writes them) and the example's
package as it stands at the end of step N. A relative DEST is read from
the folder the command was typed in. DEST must be empty or missing,
unless ``--force`` is given: then it is replaced. ``--venv`` (as ``nox -s
start`` does) also installs the project into DEST/.venv, with uv when it
is there (``project_env.py``), which ``check --venv`` reuses.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import project_env
import snapshots as st

#: The README's install lines for the repository's own folder: in DEST the
#: shared helpers are inside the project, so they go.
SHARED_INSTALL = re.compile(r"-e \.\.[/\\]\.\.[/\\]shared ")


def next_move(chapter: st.Chapter, at: int, dest: Path) -> list[str]:
    """What to read next, and the command that checks it."""
    where = st.learner_path(dest)
    if at < len(chapter.steps):
        step = chapter.step(at + 1)
        what, page = str(step.number), step.page
        read = f"Next: step {step.number}, {step.title} (docs/{page}.rst)."
    elif chapter.exercises:
        first = chapter.exercises[0]
        what, page = f"exercise-{first.number}", first.page
        read = f"Every step is done. Next: the exercises (docs/{page}.rst)."
    else:
        return ["Every step is done."]
    command = st.run_command(f"check -- {chapter.example} {what} {where}")
    return [read, f"Check your work, from {st.caller_dir()}:", f"  {command}"]


def build_along_readme(
    chapter: st.Chapter, at: int, dest: Path, installed: bool
) -> None:
    """Say at the top of DEST's README how this folder is installed and
    checked; its install lines lose the repository's ``../../shared``."""
    readme = dest / "README.md"
    if not readme.is_file():
        return
    text = SHARED_INSTALL.sub("", readme.read_text("utf-8"))
    where = "the skeleton" if at == 0 else f"the end of step {at}"
    upto = len(chapter.steps)
    what = (
        str(at + 1)
        if at < upto
        else "exercise-1"
        if chapter.exercises
        else upto
    )
    lines = [
        "## Build along",
        "",
        f"`start` wrote this folder: {chapter.example} at {where}, with the",
        "shared helpers inside it (`showcase/`), so it installs on its own.",
    ]
    if installed:
        lines.append("`start` installed it into `.venv` here. By hand, in")
        lines.append("this folder:")
    else:
        lines.append("Install it once, in this folder:")
    lines += [
        "",
        "```console",
        *st.install_commands(on_windows=False),
        "```",
        "",
        "Windows (cmd or PowerShell):",
        "",
        "```powershell",
        *st.install_commands(on_windows=True),
        "```",
        "",
        "Check the next step from the repository's folder "
        "(`py run.py` on Windows):",
        "",
        "```console",
        f"python3 run.py -s check -- {chapter.example} {what} {dest}",
        "```",
        "",
    ]
    title, _, rest = text.partition("\n\n")
    readme.write_text(f"{title}\n\n" + "\n".join(lines) + f"\n{rest}", "utf-8")


def main(argv: list[str]) -> int:
    """Write the snapshot asked for; say how to install and check it."""
    parser = argparse.ArgumentParser(prog="start", description=__doc__)
    parser.add_argument("example")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--at", type=int, default=0, metavar="N")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--venv", action="store_true")
    args = parser.parse_args(argv)
    dest = st.resolve(args.dest)
    try:
        chapter = st.load(args.example)
        if dest.exists() and any(dest.iterdir()):
            if not args.force:
                raise st.StepsError(
                    f"{dest} is not empty (--force replaces it)"
                )
            shutil.rmtree(dest)
        st.write_snapshot(chapter, dest, args.at)
        build_along_readme(chapter, args.at, dest, args.venv)
    except st.StepsError as error:
        print(f"start: {error}", file=sys.stderr)
        return 1
    where = "the skeleton" if args.at == 0 else f"the end of step {args.at}"
    print(f"Wrote {args.example} at {where} to {dest}.")
    if args.venv:
        project_env.ensure_env(dest)
        activate = st.install_commands()[1]
        print(
            f"Installed it into {dest / '.venv'}: in {dest}, type "
            f"`{activate}` to run flask and pytest yourself."
        )
    else:
        print(f"Install it once, in {dest}:")
        print(*(f"  {line}" for line in st.install_commands()), sep="\n")
    print(*next_move(chapter, args.at, dest), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
