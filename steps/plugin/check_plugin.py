"""pytest plugin of ``steps/check.py``: run steps 1..N, note what failed.

``--steps-upto N`` runs only the tests marked ``step(K)`` with K <= N
(a module whose ``pytestmark`` names a later step is not even imported:
its imports may need code of that later step), and never those marked
``finished``: they hold the finished app to names and markup that no
step's page asks for. ``--steps-report FILE``
writes, per step, how many tests ran and every failure (the test, what
its docstring says the page asked, what it got), as JSON.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

EXERCISE = 0  # the "step" of an exercise's tests, which carry no mark
#: How much of a failure's message a learner is shown.
GOT_LINES, GOT_WIDTH = 4, 240


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --steps-upto and --steps-report."""
    parser.addoption("--steps-upto", type=int, default=None)
    parser.addoption("--steps-report", default=None)


def step_of_mark(node: ast.expr) -> int | None:
    """K, if ``node`` is ``pytest.mark.step(K)``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "step"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, int)
    ):
        return node.args[0].value
    return None


def module_step(path: Path) -> int | None:
    """The step of a test file: ``pytestmark = pytest.mark.step(K)``, or
    ``pytestmark = [pytest.mark.step(K), pytest.mark.slow]``."""
    try:
        tree = ast.parse(path.read_text("utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark"
            for t in node.targets
        ):
            marks = node.value.elts if isinstance(node.value, ast.List) else []
            for mark in [node.value, *marks]:
                step = step_of_mark(mark)
                if step is not None:
                    return step
    return None


def pytest_ignore_collect(
    collection_path: Path, config: pytest.Config
) -> bool | None:
    """Skip the test files of later steps without importing them."""
    upto = config.getoption("--steps-upto")
    if upto is None or collection_path.suffix != ".py":
        return None
    step = module_step(collection_path)
    return True if step is not None and step > upto else None


def item_step(item: pytest.Item) -> int:
    """The step of a test: the latest its ``step`` marks name.

    A module's mark names its first step; a test, class or parameter
    marked in it can only name a later one.
    """
    steps = [int(mark.args[0]) for mark in item.iter_markers("step")]
    return max(steps, default=EXERCISE)


def asked(item: pytest.Item) -> str:
    """What a test checks: its docstring's first paragraph, or its name."""
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    first = " ".join(doc.strip().split("\n\n")[0].split())
    name = getattr(item, "originalname", item.name)
    return first or name.removeprefix("test_").replace("_", " ")


def shorten(message: str) -> str:
    """A failure's message, a few short lines: the assertion and its
    ``where`` lines, without pytest's ``AssertionError:`` prefix."""
    message = message.strip().removeprefix("AssertionError: ")
    lines = [line for line in message.splitlines() if line.strip()]
    kept = [
        line if len(line) <= GOT_WIDTH else line[: GOT_WIDTH - 3] + "..."
        for line in lines[:GOT_LINES]
    ]
    return "\n".join(kept) or "an error"


class Report:
    """What ran and what failed, per step, written out at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.steps: dict[int, dict[str, Any]] = {}
        self.item_steps: dict[str, int] = {}
        self.docs: dict[str, str] = {}
        self.failed: set[str] = set()

    def entry(self, step: int) -> dict[str, Any]:
        """The record of one step."""
        return self.steps.setdefault(
            step, {"tests": 0, "failed": 0, "failures": []}
        )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Keep the tests of steps 1..N; remember each one's step."""
        upto = config.getoption("--steps-upto")
        kept, dropped = [], []
        for item in items:
            step = item_step(item)
            finished = item.get_closest_marker("finished") is not None
            if upto is not None and (step > upto or finished):
                dropped.append(item)
                continue
            kept.append(item)
            self.item_steps[item.nodeid] = step
            self.entry(step)["tests"] += 1
            self.docs[item.nodeid] = asked(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    def fail(self, step: int, record: dict[str, str]) -> None:
        """Count a failure of ``step``; keep what it says."""
        if record["test"] in self.failed:
            return  # one test failing in two phases counts once
        self.failed.add(record["test"])
        entry = self.entry(step)
        entry["failed"] += 1
        entry["failures"].append(record)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A test file that cannot be imported fails its step."""
        if not report.failed:
            return
        path = Path(str(self.config.rootpath), report.nodeid.split("::")[0])
        step = module_step(path) if path.suffix == ".py" else None
        crash = str(report.longrepr).strip().splitlines()
        self.fail(
            EXERCISE if step is None else step,
            {
                "test": report.nodeid,
                "asked": f"{report.nodeid} can be loaded",
                "got": crash[-1][:GOT_WIDTH] if crash else "an error",
            },
        )
        self.entry(EXERCISE if step is None else step)["tests"] += 1

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A failed (or erroring) test fails its step."""
        if not report.failed:
            return
        crash = getattr(report.longrepr, "reprcrash", None)
        got = crash.message if crash else str(report.longrepr)
        self.fail(
            self.item_steps.get(report.nodeid, EXERCISE),
            {
                "test": report.nodeid,
                "asked": self.docs.get(report.nodeid, report.nodeid),
                "got": shorten(got),
            },
        )

    def pytest_sessionfinish(self) -> None:
        """Write the report."""
        path = self.config.getoption("--steps-report")
        if path:
            Path(path).write_text(json.dumps(self.steps), "utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """Register the report."""
    config.pluginmanager.register(Report(config), "steps-report")
