"""The one entry point for people and CI: serve, tests per example, lint, docs.

``nox -l`` lists the sessions; ``nox`` alone runs every test session, lint,
docs and the browser tests. Each example under ``examples/`` gets its own test
session, ``test-<name>``, and its run at the lowest versions its
``pyproject.toml`` allows, ``deps-lowest(<name>)``, so a new example needs no
edit here. Every session makes its environment with uv when nox can find it
(``run.py`` puts it beside nox), else with virtualenv and pip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
import export  # noqa: E402 (export.py sits next to this file)

EXAMPLES = sorted(
    path.parent.name for path in ROOT.glob("examples/*/pyproject.toml")
)

nox.needs_version = ">=2025.10.14"
nox.options.default_venv_backend = "uv|virtualenv"
# Python itself comes from the machine, never from a download.
nox.options.download_python = "never"
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
# Where Python may not cache bytecode (PYTHONDONTWRITEBYTECODE), uv compiles
# it at install, as pip does; else each of the tests' many processes would
# compile every import again.
if sys.flags.dont_write_bytecode:
    os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    *(f"test-{name}" for name in EXAMPLES),
    "deps-lowest",
    "tests",
    "lint",
    "docs",
    "e2e",
]


def install_examples(
    session: nox.Session, *names: str, extras: str = "[test]"
) -> None:
    """Install the shared helpers and the named examples, editable.

    In an environment nox reuses, only when a pyproject.toml changed since:
    an editable install builds each project again, which takes seconds.
    """
    folders = [ROOT / "shared", *(ROOT / "examples" / name for name in names)]
    editables = [f"-e{folder}{extras}" for folder in folders]
    projects = [(folder / "pyproject.toml").read_text() for folder in folders]
    stamp = Path(session.virtualenv.location, "showcase-installed.txt")
    state = "\n".join([*editables, *projects])
    if stamp.is_file() and stamp.read_text() == state:
        session.log("The examples are installed and up to date.")
        return
    session.install(*editables)
    stamp.write_text(state)


def source_paths(*names: str) -> dict[str, str]:
    """PYTHONPATH for the shared helpers and the named examples' packages."""
    folders = [ROOT / "shared", *(ROOT / "examples" / name for name in names)]
    return {"PYTHONPATH": os.pathsep.join(map(str, folders))}


def requirements_of(*names: str) -> list[str]:
    """What the shared helpers and the named examples need to run."""
    folders = [ROOT / "shared", *(ROOT / "examples" / name for name in names)]
    found = [
        requirement
        for folder in folders
        for requirement in nox.project.load_toml(folder / "pyproject.toml")[
            "project"
        ]["dependencies"]
        if not requirement.startswith("flask-showcase-helpers")
    ]
    return list(dict.fromkeys(found))


def run_example_tests(session: nox.Session, name: str) -> None:
    """Run example ``name``'s suite, then the further runs it asks for."""
    session.chdir(ROOT / "examples" / name)
    # With branch coverage, 100% required ([tool.coverage] in pyproject.toml).
    session.run("pytest", f"--cov={name}", *session.posargs)
    # Further runs the example asks for in its pyproject.toml, as
    # [[tool.showcase.test-runs]] with args = [...] and env = {...}.
    pyproject = ROOT / "examples" / name / "pyproject.toml"
    settings = nox.project.load_toml(pyproject)["tool"]["showcase"]
    for run in settings.get("test-runs", []):
        args, env = run.get("args", []), run.get("env", {})
        session.run("pytest", *args, *session.posargs, env=env)


def example_test_session(name: str) -> None:
    """Register ``test-<name>``: the example's own suite, full coverage."""

    def run_tests(session: nox.Session) -> None:
        install_examples(session, name)
        run_example_tests(session, name)

    run_tests.__doc__ = f"Run the {name} example's tests with branch coverage."
    nox.session(name=f"test-{name}")(run_tests)


for _name in EXAMPLES:
    example_test_session(_name)


@nox.session(name="deps-lowest", reuse_venv=False)
@nox.parametrize("example", EXAMPLES, ids=EXAMPLES)
def deps_lowest(session: nox.Session, example: str) -> None:
    """Run an example's tests at the lowest versions its floors allow."""
    if session.venv_backend != "uv":
        why = "deps-lowest needs uv (pip cannot pick the lowest versions)"
        if os.environ.get("CI"):
            session.error(why)
        session.skip(why)
    # Each direct dependency (the pyproject.toml files' lines) at its floor,
    # every extra included; what they pull in comes at its newest.
    pyproject = ROOT / "examples" / example / "pyproject.toml"
    project = nox.project.load_toml(pyproject)["project"]
    extras = ",".join(project.get("optional-dependencies", {}))
    session.install("--resolution=lowest-direct", f"-e{ROOT / 'shared'}[test]",
                    f"-e{pyproject.parent}[{extras}]")  # fmt: skip
    session.run("uv", "pip", "list", silent=False)
    # The suite and its slow tests, on the example's default engine (the
    # slow tests start PostgreSQL, gunicorn, Redis and an SMTP server).
    session.chdir(ROOT / "examples" / example)
    session.run("pytest", f"--cov={example}", *session.posargs)
    session.run("pytest", "-m", "slow", "--no-cov", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the repository's own tests: shared helpers, portal, exports."""
    install_examples(session, *EXAMPLES)
    # uv and pip: the learners' two ways, which the export tests take;
    # httpx for the API page's script (tests/test_api_examples.py).
    session.install(
        "nox", "waitress", "tomli; python_version < '3.11'", "uv", "pip",
        "httpx",
    )  # fmt: skip
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
    session.install(
        "ruff", "mypy", "nox", "uv", "tomli; python_version < '3.11'"
    )
    if "--fix" in session.posargs:
        session.run("ruff", "check", "--fix", ".")
        session.run("ruff", "format", ".")
    else:
        session.run("ruff", "check", ".")
        session.run("ruff", "format", "--check", ".")
    config = f"--config-file={ROOT / 'pyproject.toml'}"
    # One cache for every run: the libraries are read once, not per folder.
    cache = f"--cache-dir={ROOT / '.mypy_cache'}"
    projects = {"showcase showcase_portal": ROOT / "shared"}
    projects.update({name: ROOT / "examples" / name for name in EXAMPLES})
    # mypy reads showcase's source: it cannot follow the import hooks of
    # setuptools' editable installs.
    shared = {"MYPYPATH": str(ROOT / "shared")}
    for packages, folder in projects.items():
        with session.chdir(folder):
            session.run(
                "mypy", config, cache, *packages.split(), "tests", env=shared
            )
    # The repository's own tools: export, build along, the bench.
    session.run("mypy", config, cache, "export.py", "noxfile.py", "run.py")
    with session.chdir(ROOT / "steps"):
        tools = ["snapshots.py", "build.py", "check.py", "start.py"]
        tools += ["project_env.py", "plugin"]
        session.run("mypy", config, cache, *tools, env={"MYPYPATH": str(ROOT)})
    found = "examples/flaskr:examples/minitwit:shared"
    session.run("mypy", config, cache, "bench", env={"MYPYPATH": found})


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
    # Every step typed from its page alone gives the code check proves.
    session.run("python", "docs/typed_steps.py", "docs/_build/html")


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


#: Loads each example's demo data as ``flask --app NAME seed`` does, in one
#: process; an example without a ``seed`` command is left as it is.
SEED_EVERY_EXAMPLE = """\
import sys
from flask.cli import cli
for name in sys.argv[1:]:
    with cli.make_context("flask", ["--app", name, "seed"]) as ctx:
        if cli.get_command(ctx, "seed") is not None:
            cli.invoke(ctx)
"""


def build_docs_meanwhile(session: nox.Session, port: int) -> None:
    """Build the docs once the server answers; /docs/ has them when done.

    A first build writes to a folder of its own, renamed when complete, so
    the portal never serves half the pages.
    """
    html = ROOT / "docs" / "_build" / "html"
    out = html if html.is_dir() else html.with_name("html-building")
    python = shutil.which("python", path=session.bin) or "python"
    build = [python, "-m", "sphinx", "-q", "-b", "html", "docs", str(out)]

    def build_then_publish() -> None:
        # The server starts first: the docs would only slow it down.
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        done = subprocess.run(build, cwd=ROOT, check=False)
        if done.returncode == 0 and out != html:
            out.replace(html)

    session.log("The docs build once the server runs; /docs/ has them then.")
    threading.Thread(target=build_then_publish, daemon=True).start()


@nox.session
def serve(session: nox.Session) -> None:
    """Serve every example on http://127.0.0.1:5000 (-- --debug: reloader)."""
    # The examples run from their folders, as editable installs would, but
    # with nothing to build first: only what they need is installed.
    requirements = requirements_of(*EXAMPLES)
    # Two processes import them: compiling all at install would cost more.
    fast = {"UV_COMPILE_BYTECODE": "0"}
    session.install(*requirements, "-r", "docs/requirements.txt", env=fast)
    build_docs_meanwhile(session, 5000)
    env = source_paths(*EXAMPLES)
    # Creates the databases and loads demo data once; then does nothing.
    session.log(f"Loading the demo data (once): flask seed, {EXAMPLES}")
    session.run(
        "python", "-c", SEED_EVERY_EXAMPLE, *EXAMPLES, env=env, log=False
    )
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
        env={"SHOWCASE_ROOT": str(ROOT), **env},
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


def learner_env(session: nox.Session) -> dict[str, str]:
    """Where the learner typed the command: run.py says, else nox does.

    start and check read a relative DEST (and print paths) from there.
    """
    caller = os.environ.get("SHOWCASE_CALLER_DIR") or session.invoked_from
    return {"SHOWCASE_CALLER_DIR": caller}


# start and check run in nox's own Python (it has tomli where needed): the
# learner's project gets an environment of its own, DEST/.venv.


@nox.session(default=False, python=False)
def start(session: nox.Session) -> None:
    """Build along: -- EXAMPLE DEST [--at N] writes the skeleton or step N."""
    start_py = str(ROOT / "steps" / "start.py")
    env = learner_env(session)
    session.run(sys.executable, start_py, "--venv", *session.posargs, env=env)


@nox.session(default=False, python=False)
def check(session: nox.Session) -> None:
    """Check your project: -- EXAMPLE N|exercise-K [DEST] (./my-EXAMPLE)."""
    check_py = str(ROOT / "steps" / "check.py")
    env = learner_env(session)
    session.run(sys.executable, check_py, "--venv", *session.posargs, env=env)
