"""The one entry point for people and CI: serve, tests per example, lint, docs.

``nox -l`` lists the sessions; ``nox`` alone runs every test session, lint,
docs and the browser tests. Each example under ``examples/`` gets its own test
session, ``test-<name>``, so a new example needs no edit here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
import export  # noqa: E402 (export.py sits next to this file)

EXAMPLES = sorted(
    path.parent.name for path in ROOT.glob("examples/*/pyproject.toml")
)

nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    *(f"test-{name}" for name in EXAMPLES),
    "tests",
    "lint",
    "docs",
    "e2e",
]


def install_examples(
    session: nox.Session, *names: str, extras: str = "[test]"
) -> None:
    """Install the shared helpers and the named examples, editable."""
    examples = (f"-e{ROOT / 'examples' / name}{extras}" for name in names)
    session.install(f"-e{ROOT / 'shared'}{extras}", *examples)


def example_test_session(name: str) -> None:
    """Register ``test-<name>``: the example's own suite, full coverage."""

    def run_tests(session: nox.Session) -> None:
        install_examples(session, name)
        session.chdir(ROOT / "examples" / name)
        session.run("pytest", *session.posargs)
        # Further runs the example asks for in its pyproject.toml, as
        # [[tool.showcase.test-runs]] with args = [...] and env = {...}.
        pyproject = ROOT / "examples" / name / "pyproject.toml"
        settings = nox.project.load_toml(pyproject)["tool"]["showcase"]
        for run in settings.get("test-runs", []):
            args, env = run.get("args", []), run.get("env", {})
            session.run("pytest", *args, *session.posargs, env=env)

    run_tests.__doc__ = f"Run the {name} example's tests with branch coverage."
    nox.session(name=f"test-{name}")(run_tests)


for _name in EXAMPLES:
    example_test_session(_name)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the repository's own tests: shared helpers, portal, exports."""
    install_examples(session, *EXAMPLES)
    session.install("nox", "waitress", "tomli; python_version < '3.11'")
    sources = "--source=showcase,showcase_portal"
    session.run(
        "coverage", "run", "--branch", sources, "-m", "pytest",
        "tests", "shared/tests", *session.posargs,
    )  # fmt: skip
    session.run("coverage", "report", "--show-missing", "--fail-under=100")


@nox.session
def lint(session: nox.Session) -> None:
    """Check style with ruff, types with mypy (fix: nox -s lint -- --fix)."""
    install_examples(session, *EXAMPLES)
    session.install("ruff", "mypy", "nox", "tomli; python_version < '3.11'")
    if "--fix" in session.posargs:
        session.run("ruff", "check", "--fix", ".")
        session.run("ruff", "format", ".")
    else:
        session.run("ruff", "check", ".")
        session.run("ruff", "format", "--check", ".")
    config = f"--config-file={ROOT / 'pyproject.toml'}"
    projects = {"showcase showcase_portal": ROOT / "shared"}
    projects.update({name: ROOT / "examples" / name for name in EXAMPLES})
    # mypy reads showcase's source: it cannot follow the import hooks of
    # setuptools' editable installs.
    shared = {"MYPYPATH": str(ROOT / "shared")}
    for packages, folder in projects.items():
        with session.chdir(folder):
            session.run("mypy", config, *packages.split(), "tests", env=shared)
    # The repository's own tools: export, build along, the bench.
    session.run("mypy", config, "export.py", "noxfile.py", "run.py")
    with session.chdir(ROOT / "steps"):
        tools = ["snapshots.py", "build.py", "check.py", "start.py", "plugin"]
        session.run("mypy", config, *tools, env={"MYPYPATH": str(ROOT)})
    found = "examples/flaskr:examples/minitwit:shared"
    session.run("mypy", config, "bench", env={"MYPYPATH": found})


@nox.session
def docs(session: nox.Session) -> None:
    """Build the tutorial (warnings as errors), check links, rate the prose."""
    session.install("-r", "docs/requirements.txt", "pytest")
    # The docs' own tools first: the prose figures and the site check.
    session.run("pytest", "-q", "-p", "no:cacheprovider", "docs")
    # Prints the prose figures per chapter at the end (docs/prose_stats.py).
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
    )
    # Internal links and anchors, nothing loaded from other sites, nothing
    # the CSP blocks, code lines of 79 columns at most.
    session.run("python", "docs/check_site.py", "docs/_build/html")


def install_browser_tests(session: nox.Session) -> None:
    """Install the examples, Playwright and, if needed, its Chromium."""
    install_examples(session, *EXAMPLES)
    session.install("-r", "tests/e2e/requirements.txt")
    if not any(
        shutil.which(name) for name in ("chromium", "chromium-browser")
    ):
        # No system Chromium (Debian: apt-get install chromium): use
        # Playwright's own.
        session.run("playwright", "install", "chromium")


@nox.session(default=False)
def screenshots(session: nox.Session) -> None:
    """Retake the docs' pictures of the apps (never done by a test run)."""
    install_browser_tests(session)
    # The browser journeys save their key pages into docs/_static/screenshots.
    session.run(
        "pytest",
        "tests/e2e",
        "-p",
        "no:cacheprovider",
        "--update-screenshots",
        *session.posargs,
    )


@nox.session
def e2e(session: nox.Session) -> None:
    """Drive every example in a real Chromium, checking accessibility."""
    install_browser_tests(session)
    session.run(
        "pytest", "tests/e2e", "-p", "no:cacheprovider", *session.posargs
    )


@nox.session
def serve(session: nox.Session) -> None:
    """Serve every example on http://127.0.0.1:5000 (-- --debug: reloader)."""
    install_examples(session, *EXAMPLES, extras="")
    session.install("-r", "docs/requirements.txt")
    session.run("sphinx-build", "-q", "-b", "html", "docs", "docs/_build/html")
    for name in EXAMPLES:
        commands = session.run("flask", "--app", name, "--help", silent=True)
        if " seed " in str(commands):
            # Creates the database and loads demo data once; then does nothing.
            session.run("flask", "--app", name, "seed")
    debug = ["--debug"] if "--debug" in session.posargs else []
    session.run(
        "flask",
        "--app",
        "showcase_portal",
        *debug,
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        "5000",
        env={"SHOWCASE_ROOT": str(ROOT)},
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time every timeline at 1k, 100k and 1M rows (-- --sizes 1k,100k)."""
    install_examples(session, *EXAMPLES, extras="")
    # Prints a report; it never fails on slow figures (see bench/README.md).
    session.run("python", "-m", "bench", *session.posargs)


@nox.session(name="export", python=False)
def export_example(session: nox.Session) -> None:
    """Copy one example out as a standalone project: -- NAME DEST."""
    if len(session.posargs) != 2:
        session.error("usage: nox -s export -- NAME DEST")
    try:
        name, folder = session.posargs
        dest = export.export(name, folder)
    except export.ExportError as error:
        session.error(str(error))
    session.log(f"exported to {dest}: pip install -e '{dest}[test]'")


def learner_args(session: nox.Session, dest_at: int) -> list[str]:
    """The session's arguments, a relative DEST read from where nox ran."""
    args = list(session.posargs)
    if len(args) > dest_at and not args[dest_at].startswith("-"):
        args[dest_at] = str(Path(session.invoked_from, args[dest_at]))
    return args


@nox.session(default=False)
def start(session: nox.Session) -> None:
    """Build along: -- EXAMPLE DEST [--at N] writes the skeleton or step N."""
    session.install("tomli; python_version < '3.11'")
    args = learner_args(session, 1)
    session.run("python", str(ROOT / "steps" / "start.py"), *args)


@nox.session(default=False)
def check(session: nox.Session) -> None:
    """Check your project: -- EXAMPLE N|exercise-K [DEST] (./my-EXAMPLE)."""
    if not session.posargs or session.posargs[0] not in EXAMPLES:
        session.error(f"usage: nox -s check -- {'|'.join(EXAMPLES)} N [DEST]")
    install_examples(session, session.posargs[0])
    session.install("tomli; python_version < '3.11'")
    args = learner_args(session, 2)
    if len(args) == 2:
        args.append(str(Path(session.invoked_from, f"my-{args[0]}")))
    session.run("python", str(ROOT / "steps" / "check.py"), *args)
