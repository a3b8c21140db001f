"""showcase.db: pragmas, BEGIN IMMEDIATE transactions, init-db and the setup page."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from flask import Flask

import showcase
from showcase import db as showcase_db
from showcase.db import connect, get_db, transaction

SCHEMA = """
DROP TABLE IF EXISTS item;
CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
"""


@pytest.fixture
def db_app(tmp_path, monkeypatch) -> Flask:
    """An app whose package ``dbdemo`` has a schema.sql, using showcase.db."""
    package = tmp_path / "pkgs" / "dbdemo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "schema.sql").write_text(SCHEMA)
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    app = Flask("dbdemo", instance_path=str(tmp_path / "instance"))
    app.config.update(
        TESTING=True,
        SECRET_KEY="test-secret-key-not-for-production",
        DATABASE=str(tmp_path / "demo.sqlite"),
    )
    showcase.init_app(app)
    showcase_db.init_app(app)

    @app.get("/items")
    def items():
        return {
            "count": get_db()
            .execute("SELECT COUNT(*) FROM item")
            .fetchone()[0]
        }

    @app.get("/broken")
    def broken():
        get_db().execute("SELEKT 1")

    return app


def test_connection_pragmas(tmp_path):
    db = connect(str(tmp_path / "x.sqlite"))
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert isinstance(db.execute("SELECT 1 AS one").fetchone(), sqlite3.Row)
    db.close()


def test_transaction_commits_or_rolls_back(tmp_path):
    path = str(tmp_path / "x.sqlite")
    db = connect(path)
    db.execute("CREATE TABLE t (n INTEGER)")
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError), transaction(db):
        db.execute("INSERT INTO t VALUES (2)")
        _ = 1 / 0
    other = connect(path)
    assert [row[0] for row in other.execute("SELECT n FROM t")] == [1]
    other.close()
    db.close()


def test_concurrent_read_then_write_loses_no_update(tmp_path):
    path = str(tmp_path / "x.sqlite")
    setup = connect(path)
    setup.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
    setup.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors = []

    def add_one_many_times():
        db = connect(path)
        try:
            for _ in range(50):
                with transaction(db):
                    (n,) = db.execute("SELECT n FROM counter").fetchone()
                    db.execute("UPDATE counter SET n = ?", (n + 1,))
        except (
            sqlite3.Error
        ) as error:  # pragma: no cover (only if the test fails)
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=add_one_many_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = connect(path)
    assert errors == []
    assert check.execute("SELECT n FROM counter").fetchone()[0] == 200
    check.close()


def test_get_db_is_one_connection_per_request_and_closed_after(db_app):
    with db_app.app_context():
        first = get_db()
        assert get_db() is first
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")


def test_init_db_command(db_app):
    result = db_app.test_cli_runner().invoke(args=["init-db"])
    assert "Initialised the database" in result.output
    assert db_app.test_client().get("/items").json == {"count": 0}


def test_uninitialised_database_shows_the_command(db_app):
    response = db_app.test_client().get("/items")
    assert response.status_code == 503
    assert "flask --app dbdemo init-db" in response.text
    assert "Traceback" not in response.text


def test_missing_database_folder_shows_the_command(db_app, tmp_path):
    db_app.config["DATABASE"] = str(
        tmp_path / "no" / "such" / "folder" / "x.sqlite"
    )
    response = db_app.test_client().get("/items")
    assert response.status_code == 503
    assert "flask --app dbdemo init-db" in response.text


def test_other_database_errors_are_a_plain_500(db_app):
    db_app.testing = False
    response = db_app.test_client().get("/broken")
    assert response.status_code == 500
    assert "init-db" not in response.text
