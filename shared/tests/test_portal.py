"""showcase.portal: every example mounted at /<name>/, each with its own cookies."""

from __future__ import annotations

import textwrap

import pytest

from showcase.portal import create_app, discover_examples, mount_config

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
            return {{"user": session.get("user"), "greeting": app.config["GREETING"],
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


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with two examples, alpha and beta, importable by name."""
    for name in ("alpha", "beta"):
        package = tmp_path / "examples" / name / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(EXAMPLE.format(name=name))
        monkeypatch.syspath_prepend(str(package.parent))
    (tmp_path / "examples" / "notes").mkdir()  # not an example
    return tmp_path


def test_discover_examples(repo):
    assert discover_examples(repo / "examples") == ["alpha", "beta"]


def test_landing_page_links_each_example_and_its_docs(repo):
    html = create_app(repo).test_client().get("/").text
    assert '<a href="/alpha/">alpha</a>' in html
    assert "The alpha example: a tiny app with a login." in html
    assert "More text" not in html
    assert 'href="/docs/beta/index.html"' in html
    assert "run <code>nox -s docs</code>" in html


def test_examples_are_mounted_with_their_own_urls(repo):
    client = create_app(repo).test_client()
    assert client.get("/alpha/").json == {
        "user": None,
        "greeting": "hello from alpha",
        "login": "/alpha/login",
    }
    assert client.get("/beta/").json["greeting"] == "hello from beta"
    assert client.get("/gamma/").status_code == 404


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
    assert [example.name for example in examples] == ["alpha", "beta"]
    assert examples[0].app.config["SESSION_COOKIE_NAME"] == "alpha_session"


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


def test_missing_examples_folder_is_explained(tmp_path):
    with pytest.raises(RuntimeError, match="no examples/ folder"):
        create_app(tmp_path)


def test_uninstalled_example_is_explained(repo):
    (repo / "examples" / "zeta" / "zeta").mkdir(parents=True)
    (repo / "examples" / "zeta" / "zeta" / "__init__.py").write_text("")
    with pytest.raises(RuntimeError, match="pip install -e examples/zeta"):
        create_app(repo)
