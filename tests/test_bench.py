"""``nox -s bench -- --self-check``: the bench still measures the pages.

The bench is a report nobody runs on every change; this runs its own
checks, small, so a change to an example that breaks it shows here.
"""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT


def self_check() -> subprocess.CompletedProcess[str]:
    """Run ``python -m bench --self-check`` from the repository's root."""
    return subprocess.run(
        [sys.executable, "-m", "bench", "--self-check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def start_jobs(item, jobs, tmp) -> None:
    """Start the self-check in the pool: it runs while the rest does."""
    jobs.start("bench", self_check)


def test_the_bench_checks_itself(jobs):
    result = jobs.result("bench")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "FAIL" not in output, output
    if os.environ.get("CI") == "true":  # CI installs PostgreSQL: time it
        assert "(SQLite and PostgreSQL)" in output, output
