"""Build the benchmark databases through each app's own schema, and cache them.

Each app creates its empty tables with its own ``init-db`` command; the
rows then go in with one ``executemany`` per table inside one transaction.
A database is cached under ``test-artifacts/bench/`` with a hash of the
schema (and of this generator) in its name: a schema change builds anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import Flask
from sqlalchemy import DateTime

from bench import classic, data

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "test-artifacts" / "bench"
#: A real key: the apps refuse their development key outside debug mode.
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105 (public)
#: How flaskr stores a post's time (its schema.sql): UTC, to the second.
FLASKR_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
#: The files, in each installed package, whose change makes a cached
#: database stale; and the bench's own.
SCHEMA_FILES = {
    "flaskr": ("flaskr", ["schema.sql"]),
    "minitwit": (
        "minitwit",
        ["models.py", "database.py", "migrations/versions/*.py"],
    ),
    "classic": ("minitwit", ["migrations/versions/*.py"]),
}
BENCH_FILES = ["data.py", "build.py"]


def create_app(name: str, database: Path, url: str | None = None) -> Flask:
    """The app ``name`` on ``database`` (or ``url``), as in production."""
    config = {"DATABASE": str(database), "SECRET_KEY": SECRET_KEY}
    if url is not None:
        config["DATABASE_URL"] = url
    if name == "flaskr":
        import flaskr

        return flaskr.create_app(config)
    import minitwit

    # Production refuses to print mail: a mail server (the bench sends
    # none) and links to https.
    config.update(MAIL_SERVER="127.0.0.1", MAIL_LINK_BASE="https://localhost")
    return minitwit.create_app(config)


def schema_hash(name: str) -> str:
    """A short hash of the files that define ``name``'s database."""
    package, patterns = SCHEMA_FILES[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{package} is not installed")
    folders = [(Path(spec.origin).parent, patterns)]
    bench = [*BENCH_FILES, "classic.py"] if name == "classic" else BENCH_FILES
    folders.append((Path(__file__).parent, bench))
    digest = hashlib.sha256()
    for folder, globs in folders:
        for pattern in globs:
            for path in sorted(folder.glob(pattern)):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached(
    name: str, size: int, label: str, build: Callable[[Path], None]
) -> Path:
    """The cached database ``name`` of ``size`` rows; built if missing."""
    path = CACHE / f"{name}-{label}-{schema_hash(name)}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"{name}-{label}-*"):
        stale.unlink()  # from an older schema, or a build cut short
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    build(partial)
    partial.rename(path)
    seconds = time.perf_counter() - started
    print(f"built {path.name} in {seconds:.1f} s", flush=True)
    return path


def init_db(name: str, database: Path, url: str | None = None) -> None:
    """Create the empty tables with the app's own ``init-db`` command."""
    app = create_app(name, database, url)
    result = app.test_cli_runner().invoke(args=["init-db"])
    close_connections(app)
    if result.exit_code != 0:
        raise RuntimeError(f"{name} init-db failed:\n{result.output}")


def close_connections(app: Flask) -> None:
    """Close the connections an app keeps in a pool (minitwit's engine)."""
    extension = app.extensions.get("sqlalchemy")
    if extension is not None:
        with app.app_context():
            extension.engine.dispose()


@contextlib.contextmanager
def bulk_load(database: Path) -> Iterator[sqlite3.Connection]:
    """One big write in one transaction, with the indexes built at the end.

    The app's indexes are dropped first and created again afterwards from
    their own SQL: sorting a million rows once is much faster than keeping
    an index in order row by row. No journal and no fsync while loading:
    a build cut short is thrown away anyway.
    """
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -200000")  # 200 MB
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master"
        " WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    db.execute("BEGIN")
    yield db
    db.execute("COMMIT")
    for _, sql in indexes:
        db.execute(sql)
    # The journal the apps use, so the file is as they leave it.
    db.execute("PRAGMA journal_mode = WAL")
    db.close()


def build_flaskr(database: Path, dataset: data.Dataset) -> None:
    """flaskr: its schema, the users, and every message as a post."""
    init_db("flaskr", database)
    with bulk_load(database) as db:
        db.executemany(
            "INSERT INTO user (id, username, password) VALUES (?, ?, '!')",
            ((i, data.username(i)) for i in range(1, data.USERS + 1)),
        )
        db.executemany(
            "INSERT INTO post (author_id, created, title, body)"
            " VALUES (?, ?, ?, ?)",
            (
                (author, when.strftime(FLASKR_TIME_FORMAT), text[:40], text)
                for author, when, text in dataset.messages
            ),
        )


def build_minitwit(database: Path, dataset: data.Dataset) -> None:
    """minitwit: its migrations, the users, follows and messages (the
    hidden ones marked, the spammer's account suspended)."""
    init_db("minitwit", database)
    app = create_app("minitwit", database)
    with app.app_context():
        dialect = app.extensions["sqlalchemy"].engine.dialect
    close_connections(app)
    # Times written exactly as SQLAlchemy writes them for the app.
    column_type = DateTime(timezone=True).dialect_impl(dialect)
    to_text = column_type.bind_processor(dialect)
    assert to_text is not None
    created = to_text(data.END - data.YEAR)
    with bulk_load(database) as db:
        db.executemany(
            "INSERT INTO account (id, username, email, email_key, pw_hash,"
            " session_token, confirmed_at, created, suspended)"
            " VALUES (?, ?, ?, ?, '!', ?, ?, ?, ?)",
            (
                (
                    i,
                    data.username(i),
                    f"{data.username(i)}@example.com",
                    f"{data.username(i)}@example.com",  # its email_key
                    f"bench-session-{i}",
                    created,
                    created,
                    data.SUSPENDED if i == data.SPAMMER else None,
                )
                for i in range(1, data.USERS + 1)
            ),
        )
        db.executemany(
            "INSERT INTO follower (who_id, whom_id) VALUES (?, ?)",
            dataset.follows,
        )
        db.executemany(
            "INSERT INTO message (author_id, text, pub_date, hidden)"
            " VALUES (?, ?, ?, ?)",
            (
                (
                    author,
                    text,
                    to_text(when),
                    data.hidden_because(author, text),
                )
                for author, when, text in dataset.messages
            ),
        )


def build_classic(database: Path, source: Path) -> None:
    """A copy of minitwit's data in the minitwit 0.12 schema."""
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")  # 0.12 had no index to drop
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(classic.SCHEMA)
    db.execute("ATTACH DATABASE ? AS source", (str(source),))
    db.execute("BEGIN")
    for statement in classic.COPY_FROM_SOURCE:
        db.execute(statement)
    db.execute("COMMIT")
    db.close()


def databases(size: int, label: str) -> dict[str, Path]:
    """The databases of one size: flaskr, minitwit, minitwit 0.12.

    An app that cannot build its database (flaskr in the middle of a
    rewrite, say) is left out, and the bench says why.
    """
    dataset: data.Dataset | None = None

    def rows() -> data.Dataset:
        nonlocal dataset
        if dataset is None:
            dataset = data.make_dataset(size)
        return dataset

    builders: dict[str, Callable[[Path], None]] = {
        "flaskr": lambda p: build_flaskr(p, rows()),
        "minitwit": lambda p: build_minitwit(p, rows()),
        "classic": lambda p: build_classic(p, paths["minitwit"]),
    }
    paths: dict[str, Path] = {}
    for name, build in builders.items():
        try:
            paths[name] = cached(name, size, label, build)
        except Exception as error:
            if name != "flaskr":
                raise
            print(f"flaskr left out: {type(error).__name__}: {error}")
    return paths
