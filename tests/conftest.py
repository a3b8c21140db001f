"""Fixtures for the repository-level tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from showcase_portal import create_app

#: hello's app is built when it is imported, with its key from the
#: environment: outside ``flask run --debug`` it needs a real one.
os.environ.setdefault("FLASK_SECRET_KEY", "repository-tests-secret-key")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    path.parent.name for path in ROOT.glob("examples/*/pyproject.toml")
)

# The installed examples, imported before any test module can put a folder
# of the same name (steps/hello, a namespace package) first on sys.path.
for _name in EXAMPLES:
    importlib.import_module(_name)


#: How many slow jobs run at once: one per core, at least two (they wait
#: on disks and pipes too), at most four (each may start servers).
WORKERS = max(2, min(4, os.cpu_count() or 1))


class Jobs:
    """The slow commands of the selected tests, run a few at a time.

    A test whose proof needs minutes of commands (a check run, a pip
    install) gets them run here, early, next to the others; then it
    asserts on their results, as it would have on its own runs.
    """

    def __init__(self, workers: int) -> None:
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="job")
        self.futures: dict[Hashable, Future[Any]] = {}

    def start(self, key: Hashable, job: Callable[..., Any], *args) -> None:
        """Start ``job(*args)`` as job ``key``, unless it is started."""
        if key not in self.futures:
            self.futures[key] = self.pool.submit(job, *args)

    def result(self, key: Hashable) -> Any:
        """Wait for job ``key``: its value, or its exception raised here."""
        return self.futures[key].result()


@pytest.fixture(scope="session", autouse=True)
def jobs(request, tmp_path_factory) -> Iterator[Jobs]:
    """Start the slow jobs of every selected test, in the tests' order.

    A test module lists its tests' jobs in ``start_jobs(item, jobs, tmp)``;
    ``tmp`` makes their folders. Started with the first test, they run
    while the quick tests do.
    """
    pool = Jobs(WORKERS)
    for item in request.session.items:
        start = getattr(getattr(item, "module", None), "start_jobs", None)
        if start is not None:
            start(item, pool, tmp_path_factory)
    yield pool
    pool.pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's top folder."""
    return ROOT


def seeded_portal(data_dir: Path, *, testing: bool = True) -> Flask:
    """The portal over the real examples, on data in ``data_dir``, seeded.

    ``testing=False`` runs the examples as in production: an exception becomes
    the 500 page a visitor would see, instead of reaching the test.
    """
    test_configs = {
        name: {
            "TESTING": testing,
            "SECRET_KEY": "repository-tests-secret-key",
            "DATABASE": str(data_dir / f"{name}.sqlite"),
            "UPLOAD_FOLDER": str(data_dir / f"{name}-uploads"),
            "AVATAR_FOLDER": str(data_dir / f"{name}-avatars"),
            # minitwit in production: a mail server (nothing listens; no
            # worker runs, so its mails only wait) and https links.
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_LINK_BASE": "https://localhost",
        }
        for name in EXAMPLES
    }
    portal = create_app(ROOT, test_configs)
    for example in portal.extensions["showcase_portal"]:
        if "seed" in example.app.cli.commands:
            result = example.app.test_cli_runner().invoke(args=["seed"])
            assert result.exit_code == 0, result.output
    return portal
