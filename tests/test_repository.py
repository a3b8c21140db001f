"""The repository keeps its promises: one command each, examples complete."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
import shlex
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

import pytest
from flask import Flask

from .conftest import EXAMPLES, ROOT


def test_the_examples_are_there():
    assert {"hello", "flaskr", "minitwit"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_is_a_standalone_project(name):
    folder = ROOT / "examples" / name
    project = tomllib.loads((folder / "pyproject.toml").read_text())
    assert project["project"]["name"] == name
    assert "flask-showcase-helpers" in project["project"]["dependencies"]
    assert "test" in project["project"]["optional-dependencies"]
    assert project["tool"]["coverage"]["report"]["fail_under"] == 100
    assert project["tool"]["coverage"]["run"]["branch"] is True
    assert (
        "error" in project["tool"]["pytest"]["ini_options"]["filterwarnings"]
    )
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    assert packages == [f"{name}*", "showcase*"]
    conftest = (folder / "tests" / "conftest.py").read_text()
    for fixture in ("app", "client", "runner"):
        assert f"def {fixture}(" in conftest
    readme = (folder / "README.md").read_text()
    assert f"flask --app {name} run --debug" in readme
    assert f"nox -s export -- {name} " in readme
    assert "pytest" in readme


def test_no_fixture_arrives_from_an_installed_plugin():
    """Issue 8: each conftest.py defines the fixtures its tests use."""
    plugins = importlib.metadata.entry_points(group="pytest11")
    assert not [p for p in plugins if p.value.startswith("showcase")]
    shared = tomllib.loads((ROOT / "shared" / "pyproject.toml").read_text())
    assert "entry-points" not in shared["project"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_is_a_factory_or_a_module_level_app(name):
    package = importlib.import_module(name)
    factory = getattr(package, "create_app", None)
    assert callable(factory) or isinstance(package.app, Flask)
    if factory:
        assert "test_config" in inspect.signature(factory).parameters


def test_hello_starts_as_one_module_level_app():
    """Issue 8: the first lessons need no factory and no blueprint."""
    import hello

    assert isinstance(hello.app, Flask)
    assert not hasattr(hello, "create_app")
    assert {"index", "capitalize", "add"} <= hello.app.view_functions.keys()


def test_examples_are_in_learning_order():
    order = {
        name: tomllib.loads(
            (ROOT / "examples" / name / "pyproject.toml").read_text()
        )["tool"]["showcase"]["order"]
        for name in EXAMPLES
    }
    assert sorted(EXAMPLES, key=order.__getitem__) == [
        "hello",
        "flaskr",
        "minitwit",
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_has_a_docs_chapter(name):
    assert (ROOT / "docs" / name / "index.rst").is_file()
    assert (ROOT / "docs" / "instructors" / f"{name}.rst").is_file()


def test_noxfile_has_a_test_session_per_example_and_runs_them_by_default():
    import noxfile  # needs nox, which the tests session installs

    assert noxfile.EXAMPLES == EXAMPLES
    sessions = set(noxfile.nox.registry.get())
    for name in EXAMPLES:
        assert f"test-{name}" in sessions
    assert {"serve", "tests", "lint", "docs", "e2e", "export"} <= sessions
    checks = {"deps-lowest", "tests", "lint", "docs", "e2e"}
    by_default = {f"test-{name}" for name in EXAMPLES} | checks
    assert set(noxfile.nox.options.sessions) == by_default


def test_sessions_use_uv_and_fall_back_to_virtualenv():
    import noxfile

    assert noxfile.nox.options.default_venv_backend == "uv|virtualenv"
    assert noxfile.nox.options.download_python == "never"


#: The last release with a published advisory, of each package whose floor
#: must be past it (a floor written anywhere in the repository).
ADVISORIES = {
    "flask": "3.1.2",  # CVE-2025-47278, GHSA-68rp-wp8r-4726
    "werkzeug": "3.1.5",  # CVE-2025-66221, CVE-2026-21860, CVE-2026-27199
    "waitress": "3.0.0",  # CVE-2024-49768, CVE-2024-49769
    "gunicorn": "22.0.0",  # CVE-2024-6827
    "aiosmtpd": "1.4.5",  # CVE-2024-27305, CVE-2024-34083
    "pytest": "9.0.2",  # CVE-2025-71176
    "setuptools": "78.1.0",  # CVE-2024-6345, CVE-2025-47273
}


def floors():
    """Every requirement of every pyproject.toml here: (file, requirement)."""
    from packaging.requirements import Requirement

    for path in sorted(ROOT.glob("**/pyproject.toml")):
        if ".venv" in path.parts or ".nox" in path.parts:
            continue
        data = tomllib.loads(path.read_text())
        project = data.get("project", {})
        lists = [
            project.get("dependencies", []),
            *project.get("optional-dependencies", {}).values(),
            *data.get("dependency-groups", {}).values(),
            data.get("build-system", {}).get("requires", []),
        ]
        for line in (line for lines in lists for line in lines):
            yield path.relative_to(ROOT), Requirement(line)


def test_no_floor_admits_a_release_with_an_advisory():
    found = set()
    for path, requirement in floors():
        last_bad = ADVISORIES.get(requirement.name.lower())
        if last_bad:
            found.add(requirement.name.lower())
            allowed = requirement.specifier.contains(last_bad)
            assert not allowed, f"{path}: {requirement} admits {last_bad}"
    assert found == set(ADVISORIES)


def test_noxfile_names_no_example():
    """Examples are found, and ask for extra test runs in pyproject.toml."""
    noxfile = (ROOT / "noxfile.py").read_text()
    for name in EXAMPLES:
        assert f'"{name}"' not in noxfile


def readme_commands() -> list[str]:
    """The commands in the README's quickstart block, without comments."""
    readme = (ROOT / "README.md").read_text()
    block = (
        readme.split("## Quickstart", 1)[1]
        .split("```console", 1)[1]
        .split("```", 1)[0]
    )
    return [
        line.split("#", 1)[0].strip() for line in block.strip().splitlines()
    ]


def test_readme_quickstart_is_two_lines_serve_and_test():
    serve, test = readme_commands()
    assert shlex.split(serve) == ["python3", "run.py", "-s", "serve"]
    assert shlex.split(test) == ["python3", "run.py"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [
        line
        for line in ci.splitlines()
        if line and not line.startswith(("#", " "))
    ]
    assert commands[-1] == readme_commands()[1]
    assert "set -euo pipefail" in ci


def test_github_workflow_takes_its_matrix_from_nox():
    """Issue 8: no example name written into the CI workflow."""
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "nox -l --json" in workflow
    assert "fromJSON(needs.sessions.outputs.sessions)" in workflow
    for name in EXAMPLES:
        assert name not in workflow


EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
    re.IGNORECASE,
)


def served_files():
    """Every template and static file an app can send to a browser."""
    for folder in [
        ROOT / "shared",
        *(ROOT / "examples" / n for n in EXAMPLES),
    ]:
        for path in folder.rglob("*"):
            if (
                path.suffix in {".html", ".css", ".js", ".svg"}
                and "tests" not in path.parts
            ):
                yield path


def test_nothing_is_loaded_from_another_site():
    files = list(served_files())
    assert files
    offenders = [
        str(p.relative_to(ROOT))
        for p in files
        if EXTERNAL.search(p.read_text())
    ]
    assert offenders == []


def markup(template: str) -> str:
    """The HTML a template writes itself, without Jinja comments and output."""
    return re.sub(r"\{#.*?#\}|\{\{.*?\}\}", "", template, flags=re.DOTALL)


def test_no_inline_script_or_style_in_templates():
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in served_files()
        if p.suffix == ".html" and inline.search(markup(p.read_text()))
    ]
    assert offenders == []


def test_inline_check_sees_what_a_template_writes():
    assert markup('<p>{{ "<script>" }}</p>{# <style> #}<b>') == "<p></p><b>"


def test_the_portal_names_the_demo_logins_each_seed_creates():
    """The portal's "Demo logins" line says what ``seed`` really creates."""
    from flaskr.demo import DEMO_USERS
    from minitwit.cli import DEMO_PASSWORD
    from minitwit.cli import DEMO_USERS as MINITWIT_USERS
    from showcase_portal import showcase_settings

    def demo_logins(name: str) -> str:
        project = ROOT / "examples" / name / "pyproject.toml"
        return str(showcase_settings(project)["demo-logins"])

    for username, password in DEMO_USERS.items():
        assert f"{username} / {password}" in demo_logins("flaskr")
    assert all(name in demo_logins("minitwit") for name in MINITWIT_USERS)
    assert f"password {DEMO_PASSWORD}" in demo_logins("minitwit")
