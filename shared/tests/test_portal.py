"""showcase_portal: every example at /<name>/, each with its own cookies."""

from __future__ import annotations

import sys
import textwrap

import pytest
import werkzeug.utils

from showcase_portal import create_app, discover_examples, mount_config

EXAMPLE = textwrap.dedent(
    '''
    """The {name} example: a tiny app with a login.

    More text that the portal does not show.
    """
    from flask import Flask, session, url_for

    import showcase


    def create_app(test_config=None):
        app = Flask(__name__)
        app.config.from_mapping(
            SECRET_KEY="{name}-secret-key-for-tests",
            GREETING="hello from {name}",
        )
        if test_config is not None:
            app.config.from_mapping(test_config)
        showcase.init_app(app)

        @app.get("/")
        def index():
            return {{"user": session.get("user"),
                     "greeting": app.config["GREETING"],
                     "login": url_for("login")}}

        @app.get("/login")
        def login():
            session["user"] = "{name}-user"
            return "logged in"

        @app.get("/logout")
        def logout():
            session.clear()
            return "logged out"

        return app
    '''
)


#: An example without a factory, as hello is: a module-level ``app``.
MODULE_APP = textwrap.dedent(
    '''
    """The {name} example: one module-level app."""
    from flask import Flask

    import showcase

    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="{name}-secret-key-for-tests")
    showcase.init_app(app)


    @app.get("/")
    def index():
        return {{"testing": app.testing}}
    '''
)


def add_example(root, name, source, order=None):
    """Write example ``name`` under ``root/examples`` with its pyproject."""
    package = root / "examples" / name / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(source.format(name=name))
    tool = f"[tool.showcase]\norder = {order}\n" if order else ""
    if order == 1:  # beta has demo accounts
        tool += 'demo-logins = "ada / ada-password"\n'
    (package.parent / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\n{tool}'
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with three examples: beta first, then alpha, gamma."""
    add_example(tmp_path, "alpha", EXAMPLE, order=2)
    add_example(tmp_path, "beta", EXAMPLE, order=1)
    add_example(tmp_path, "gamma", MODULE_APP)
    (tmp_path / "examples" / "notes").mkdir()  # not an example
    (tmp_path / "examples" / "notes" / "pyproject.toml").write_text("")
    for name in ("alpha", "beta", "gamma"):
        monkeypatch.syspath_prepend(str(tmp_path / "examples" / name))
    yield tmp_path
    for name in ("alpha", "beta", "gamma"):
        sys.modules.pop(name, None)


def test_discover_examples_in_learning_order(repo):
    assert discover_examples(repo / "examples") == ["beta", "alpha", "gamma"]


def test_landing_page_lists_examples_in_order_and_says_where_to_start(
    repo,
):
    html = create_app(repo).test_client().get("/").text
    assert 'Start with\n    <a href="/beta/">beta</a>' in html
    beta, alpha = (
        html.index('"/beta/">beta</a></h2>'),
        html.index('"/alpha/">alpha</a></h2>'),
    )
    assert beta < alpha < html.index('"/gamma/">gamma</a></h2>')
    assert "The alpha example: a tiny app with a login." in html
    assert html.index("Example 1 of 3") < html.index('"/beta/">beta</a></h2>')
    assert html.index("Example 3 of 3") < html.index(
        '"/gamma/">gamma</a></h2>'
    )
    assert html.count("Demo logins:") == 1
    assert "Demo logins: ada / ada-password" in html
    assert "More text" not in html
    assert 'href="/docs/beta/index.html"' in html
    assert "run <code>nox -s docs</code>" in html


def test_module_level_app_is_mounted_with_its_test_config(repo):
    portal = create_app(repo, test_configs={"gamma": {"TESTING": True}})
    assert portal.test_client().get("/gamma/").json == {"testing": True}
    (gamma,) = portal.extensions["showcase_portal"][2:]
    assert gamma.app.config["SESSION_COOKIE_NAME"] == "gamma_session"
    assert gamma.summary == "The gamma example: one module-level app."


def test_no_examples_no_start_here(tmp_path):
    (tmp_path / "examples").mkdir()
    html = create_app(tmp_path).test_client().get("/").text
    assert "Start with" not in html


def test_examples_are_mounted_with_their_own_urls(repo):
    client = create_app(repo).test_client()
    assert client.get("/alpha/").json == {
        "user": None,
        "greeting": "hello from alpha",
        "login": "/alpha/login",
    }
    assert client.get("/beta/").json["greeting"] == "hello from beta"
    assert client.get("/delta/").status_code == 404


def test_logins_do_not_leak_between_examples(repo):
    client = create_app(repo).test_client()
    client.get("/alpha/login")
    assert client.get("/alpha/").json["user"] == "alpha-user"
    assert client.get("/beta/").json["user"] is None
    client.get("/beta/login")
    client.get("/beta/logout")
    assert client.get("/alpha/").json["user"] == "alpha-user"
    cookie = client.get_cookie("alpha_session", path="/alpha")
    assert cookie is not None
    assert cookie.http_only


def test_mount_config_names_cookies_after_the_example():
    assert mount_config("flaskr") == {
        "SHOWCASE_PORTAL_URL": "/",
        "SHOWCASE_CHAPTER_URL": "/docs/flaskr/index.html",
        "SESSION_COOKIE_NAME": "flaskr_session",
        "SESSION_COOKIE_PATH": "/flaskr",
        "REMEMBER_COOKIE_NAME": "flaskr_remember",
        "REMEMBER_COOKIE_PATH": "/flaskr",
    }


def test_test_configs_reach_each_factory(repo, tmp_path):
    portal = create_app(
        repo, test_configs={"alpha": {"TESTING": True, "GREETING": "test"}}
    )
    assert portal.test_client().get("/alpha/").json["greeting"] == "test"
    examples = portal.extensions["showcase_portal"]
    assert [example.name for example in examples] == [
        "beta",
        "alpha",
        "gamma",
    ]
    assert examples[1].app.config["SESSION_COOKIE_NAME"] == "alpha_session"


def test_mounted_examples_link_back_to_the_portal(repo):
    (beta,) = create_app(repo).extensions["showcase_portal"][:1]
    assert beta.app.config["SHOWCASE_PORTAL_URL"] == "/"
    assert beta.app.config["SHOWCASE_CHAPTER_URL"] == "/docs/beta/index.html"


def test_root_defaults_to_environment_then_current_folder(repo, monkeypatch):
    monkeypatch.setenv("SHOWCASE_ROOT", str(repo))
    assert create_app().test_client().get("/alpha/").status_code == 200
    monkeypatch.delenv("SHOWCASE_ROOT")
    monkeypatch.chdir(repo)
    assert create_app().test_client().get("/beta/").status_code == 200


def test_docs_are_served_once_built(repo):
    client = create_app(repo).test_client()
    response = client.get("/docs/")
    assert response.status_code == 404
    assert "run nox -s docs" in response.text
    built = repo / "docs" / "_build" / "html"
    (built / "alpha").mkdir(parents=True)
    (built / "index.html").write_text("<p>the docs</p>")
    (built / "alpha" / "index.html").write_text("<p>alpha chapter</p>")
    client = create_app(repo).test_client()
    for url, text in [
        ("/docs/", "<p>the docs</p>"),
        ("/docs/alpha/", "<p>alpha chapter</p>"),
    ]:
        with client.get(url) as response:
            assert response.text == text
    assert client.get("/docs/../secret").status_code == 404
    assert "nox -s docs" not in client.get("/").text


def test_a_docs_page_keeps_no_file_open(repo, monkeypatch):
    """The page is read and its file closed before the answer is sent: a
    browser that drops the connection midway leaves no file open."""
    built = repo / "docs" / "_build" / "html"
    built.mkdir(parents=True)
    (built / "big.html").write_text("x" * 100_000)
    opened = []

    def remember(*args, **kwargs):
        file = open(*args, **kwargs)  # noqa: SIM115 (closed by the portal)
        opened.append(file)
        return file

    # send_from_directory opens the page in werkzeug.utils.
    monkeypatch.setattr(werkzeug.utils, "open", remember, raising=False)
    client = create_app(repo).test_client()
    response = client.get("/docs/big.html", buffered=False)
    assert opened
    assert all(file.closed for file in opened), opened
    assert response.headers["Content-Length"] == "100000"
    assert response.get_data() == b"x" * 100_000
    cached = client.get(
        "/docs/big.html", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert cached.status_code == 304


def test_missing_examples_folder_is_explained(tmp_path):
    with pytest.raises(RuntimeError, match="no examples/ folder"):
        create_app(tmp_path)


def test_uninstalled_example_is_explained(repo):
    add_example(repo, "zeta", "")
    with pytest.raises(RuntimeError, match="pip install -e examples/zeta"):
        create_app(repo)


def test_missing_dependency_of_an_example_is_not_hidden(repo):
    add_example(repo, "zeta", "import not_installed_anywhere\n")
    syspath = str(repo / "examples" / "zeta")
    sys.path.insert(0, syspath)
    try:
        with pytest.raises(ModuleNotFoundError, match="not_installed"):
            create_app(repo)
    finally:
        sys.path.remove(syspath)
        sys.modules.pop("zeta", None)
