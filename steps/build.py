"""Maintainers' tool: unpack the steps into folders, edit, pack them again.

    python3 steps/build.py hello unpack /tmp/hello-steps
    # edit the snapshot folders /tmp/hello-steps/NN-slug/ ...
    python3 steps/build.py hello pack /tmp/hello-steps
    python3 steps/build.py hello verify

``unpack`` writes one complete, runnable folder per step (``00-skeleton``
then ``NN-slug``). ``pack`` writes ``00-skeleton/`` and every
``NN-slug.patch`` from them, then verifies. ``verify`` applies every patch
to the skeleton and compares the result with the example, file by file.

When the example changes, ``sync`` carries the change into the folders:

    python3 steps/build.py hello sync /tmp/hello-steps

It unpacks the steps, diffs the last folder against the example and applies
that diff, file by file, to every folder that has the file (``git apply
--reject``). Fix the ``*.rej`` files it names, then ``pack``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import snapshots as st


def folders(chapter: st.Chapter, where: Path) -> list[Path]:
    """The snapshot folders, skeleton first, in step order."""
    names = [st.SKELETON]
    names += [f"{step.number:02d}-{step.slug}" for step in chapter.steps]
    return [where / name for name in names]


def unpack(chapter: st.Chapter, where: Path) -> None:
    """Write every step's snapshot into its own folder under ``where``."""
    for at, folder in enumerate(folders(chapter, where)):
        if folder.exists():
            raise st.StepsError(f"{folder} exists; unpack into a new folder")
        st.write_snapshot(chapter, folder, at)
    print(f"unpacked {len(chapter.steps) + 1} folders into {where}")


def pack(chapter: st.Chapter, where: Path) -> None:
    """Write the skeleton and the patches from the folders under ``where``."""
    snapshots = folders(chapter, where)
    missing = [str(folder) for folder in snapshots if not folder.is_dir()]
    if missing:
        raise st.StepsError(f"missing folders: {missing}")
    skeleton = chapter.folder / st.SKELETON
    if skeleton.exists():
        shutil.rmtree(skeleton)
    for name, path in st.files_of(snapshots[0]).items():
        if not st.is_given(chapter, name):
            (skeleton / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, skeleton / name)
    for step, before, after in zip(
        chapter.steps, snapshots, snapshots[1:], strict=False
    ):
        changed = [
            line.split(":")[0]
            for line in st.differences(before, after)
            if st.is_given(chapter, line.split(":")[0])
        ]
        if changed:
            raise st.StepsError(
                f"step {step.number} changes files the learner is given "
                f"as they are: {changed}"
            )
        patch = st.make_patch(before, after)
        target = chapter.folder / step.patch_name
        if patch:
            target.write_text(patch, "utf-8")
        elif target.exists():
            target.unlink()
    print(f"packed {where} into {chapter.folder}")
    verify(chapter)


def verify(chapter: st.Chapter) -> None:
    """Fail unless every step applied to the skeleton gives the example."""
    found = st.final_differences(chapter)
    if found:
        raise st.StepsError(
            "the steps do not end with the example's files:\n  "
            + "\n  ".join(found)
        )
    print(f"{chapter.example}: the steps end with the example's files")


def sync(chapter: st.Chapter, where: Path) -> None:
    """Unpack, then carry the example's newer changes into every folder."""
    unpack(chapter, where)
    last = folders(chapter, where)[-1]
    with tempfile.TemporaryDirectory() as tmp:
        example = st.export.export(chapter.example, Path(tmp) / "x")
        change = st.make_patch(last, example)
    rejected: list[str] = []
    for folder in folders(chapter, where):
        for old, new, hunks in st._parse(change):
            name = st._strip_prefix(new if new != "/dev/null" else old)
            if not (folder / name).exists() and folder != last:
                continue
            if st.is_given(chapter, name):
                continue
            one = f"--- {old}\n+++ {new}\n" + "".join(
                "".join(hunk) for hunk in hunks
            )
            result = subprocess.run(
                ["git", "apply", "--reject", "-"],  # noqa: S607 (git on PATH)
                input=one,
                text=True,
                cwd=folder,
                capture_output=True,
                check=False,
            )
            if result.returncode:
                rejected.append(f"{folder.name}/{name}")
    print("fix by hand, then pack:", *rejected, sep="\n  ")


def main(argv: list[str]) -> int:
    """``EXAMPLE unpack|pack|sync DIR`` or ``EXAMPLE verify``."""
    if len(argv) < 2 or argv[1] not in ("unpack", "pack", "sync", "verify"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        chapter = st.load(argv[0])
        if argv[1] == "verify":
            verify(chapter)
        else:
            command = {"unpack": unpack, "pack": pack, "sync": sync}
            command[argv[1]](chapter, Path(argv[2]).resolve())
    except (st.StepsError, IndexError) as error:
        print(f"build: {error or 'a folder is needed'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
