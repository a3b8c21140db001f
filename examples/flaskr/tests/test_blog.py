"""The blog: the index and its pages, writing, editing and deleting posts."""

from __future__ import annotations

import pytest

from flaskr.blog import INDEX_QUERY
from flaskr.db import get_db
from showcase.testing import submit_form


def post_row(app, post_id=1):
    """Return post ``post_id`` as a dict, or None."""
    with app.app_context():
        row = (
            get_db()
            .execute("SELECT * FROM post WHERE id = ?", (post_id,))
            .fetchone()
        )
    return dict(row) if row else None


def add_posts(app, count, author_id=1):
    """Add ``count`` posts, one second apart; post number ``n`` is titled ``post n``."""
    with app.app_context():
        db = get_db()
        for number in range(count):
            db.execute(
                "INSERT INTO post (title, body, author_id, created) VALUES (?, '', ?, ?)",
                (
                    f"post {number}",
                    author_id,
                    f"2020-01-01T00:{number // 60:02d}:{number % 60:02d}Z",
                ),
            )


# --- the index --------------------------------------------------------------


def test_index(client, auth):
    """Anonymous visitors see the posts and the login links; the author also sees Edit."""
    response = client.get("/")
    assert "Log In" in response.text
    assert "Register" in response.text
    assert "test title" in response.text
    assert "by test on" in response.text
    assert (
        '<time datetime="2018-01-01T00:00:00Z">1 Jan 2018, 00:00 UTC</time>'
        in response.text
    )
    assert "test\nbody" in response.text
    assert 'href="/1/update"' not in response.text

    auth.login()
    response = client.get("/")
    assert "Log Out" in response.text
    assert 'href="/create"' in response.text
    assert 'href="/1/update"' in response.text


def test_index_hides_edit_link_from_others(client, auth):
    """Another user sees the post but no Edit link."""
    auth.login("other", "other-password")
    response = client.get("/")
    assert "test title" in response.text
    assert 'href="/1/update"' not in response.text


def test_index_empty(client, app):
    """With no posts, the index says so."""
    with app.app_context():
        get_db().execute("DELETE FROM post")
    assert "No posts yet." in client.get("/").text


def test_index_is_paginated_newest_first(client, app):
    """Ten posts a page, newest first; Older and Newer links between pages."""
    add_posts(app, 24)  # plus the test post from 2018, the oldest: 25 in all

    first = client.get("/").text
    titles = [f"post {n}<" for n in range(23, 13, -1)]
    positions = [first.index(f"<h2>{title}") for title in titles]
    assert positions == sorted(positions)
    assert "<h2>post 13<" not in first
    assert "Page 1 of 3" in first
    assert 'rel="next" href="/?page=2"' in first
    assert 'rel="prev"' not in first

    second = client.get("/?page=2").text
    assert "<h2>post 13<" in second and "<h2>post 4<" in second
    assert 'rel="prev" href="/?page=1"' in second
    assert 'rel="next" href="/?page=3"' in second

    last = client.get("/?page=3").text
    assert "<h2>post 3<" in last and "<h2>test title<" in last
    assert 'rel="next"' not in last


def test_same_second_posts_keep_a_stable_order(client, app):
    """Posts written in the same second come newest (highest id) first."""
    with app.app_context():
        db = get_db()
        for title in ("first", "second"):
            db.execute(
                "INSERT INTO post (title, body, author_id, created)"
                " VALUES (?, '', 1, '2030-01-01T00:00:00Z')",
                (title,),
            )
    text = client.get("/").text
    assert text.index("<h2>second<") < text.index("<h2>first<")


def test_posts_per_page_setting(client, app):
    """POSTS_PER_PAGE sets the page size."""
    app.config["POSTS_PER_PAGE"] = 2
    add_posts(app, 3)
    assert client.get("/").text.count('<article class="card post">') == 2
    assert "Page 1 of 2" in client.get("/").text


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "1.5", "3", "99999999999999999999", ""]
)
def test_index_bad_page_is_404(client, app, page):
    """A page number that is not a page of the list: 404, never a 500."""
    add_posts(app, 12)  # 13 posts: pages 1 and 2
    assert client.get(f"/?page={page}").status_code == 404


def test_index_query_uses_the_index(app):
    """The index page's query walks post_created; no table scan, no sort of all posts."""
    with app.app_context():
        plan = (
            get_db()
            .execute("EXPLAIN QUERY PLAN " + INDEX_QUERY, (10, 0))
            .fetchall()
        )
    details = [row["detail"] for row in plan]
    assert any(
        "SCAN p USING INDEX post_created" in detail for detail in details
    ), details
    assert any("USING INTEGER PRIMARY KEY" in detail for detail in details), (
        details
    )
    assert not any("TEMP B-TREE" in detail for detail in details), details


def test_post_author_index_exists(app):
    """Posts by one author (and the foreign key check) use post_author_id."""
    with app.app_context():
        plan = (
            get_db()
            .execute(
                "EXPLAIN QUERY PLAN SELECT id FROM post WHERE author_id = ?",
                (1,),
            )
            .fetchall()
        )
    assert "USING COVERING INDEX post_author_id" in plan[0]["detail"]


def test_titles_and_bodies_are_escaped(client, auth, app):
    """A post titled <script> shows as text: Jinja escapes every value."""
    auth.login()
    submit_form(
        client,
        "/create",
        {
            "title": "<script>alert(1)</script>",
            "body": '<img src=x onerror="alert(2)">',
        },
    )
    text = client.get("/").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x" not in text
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in text


# --- login required ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "next_page"),
    [
        ("/create", "/create"),
        ("/1/update", "/1/update"),
        ("/1/update?from=index", "/1/update?from%3Dindex"),
    ],
)
def test_login_required_get(client, path, next_page):
    """Visitors asking for a page that needs a login go to the login page, then back."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/auth/login?next={next_page}"


@pytest.mark.parametrize("path", ["/create", "/1/update", "/1/delete"])
def test_login_required_post(client, app, path):
    """A form sent while logged out changes nothing and goes to login, then the index."""
    response = submit_form(
        client, path, {"title": "changed", "body": ""}, form_url="/auth/login"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/"
    assert post_row(app)["title"] == "test title"
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM post").fetchone()[0] == 1


def test_login_required_round_trip(client):
    """From /create to the login page and back to /create."""
    login_url = client.get("/create").headers["Location"]
    response = submit_form(
        client, login_url, {"username": "test", "password": "test-password"}
    )
    assert response.headers["Location"] == "/create"
    assert client.get("/create").status_code == 200


# --- other people's posts, missing posts ------------------------------------


@pytest.mark.parametrize("path", ["/1/update", "/1/delete"])
def test_author_required(app, client, auth, path):
    """Someone else's post: 403, and the row is unchanged."""
    before = post_row(app)
    auth.login("other", "other-password")
    response = submit_form(
        client, path, {"title": "stolen", "body": ""}, form_url="/"
    )
    assert response.status_code == 403
    assert "You can only change your own posts." in response.text
    assert post_row(app) == before


def test_author_required_get(app, client, auth):
    """Someone else's edit page: 403."""
    auth.login("other", "other-password")
    assert client.get("/1/update").status_code == 403


@pytest.mark.parametrize(
    "path", ["/2/update", "/2/delete", "/99999999999999999999/delete"]
)
def test_exists_required(client, auth, path):
    """A post that does not exist: 404, for the form and for a POST."""
    auth.login()
    response = submit_form(
        client, path, {"title": "x", "body": ""}, form_url="/"
    )
    assert response.status_code == 404
    assert f"Post id {path.split('/')[1]} doesn&#39;t exist." in response.text
    if path.endswith("update"):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/abc/update",
        "/-1/update",
        "/1.5/update",
        "/abc/delete",
        "/9223372036854775808/update",
        "/99999999999999999999999/update",
    ],
)
def test_bad_ids_are_404(client, auth, path):
    """Ids that are not whole numbers match no page."""
    auth.login()
    assert client.get(path).status_code == 404


def test_delete_is_post_only(client, auth, app):
    """GET /1/delete is refused (405): a link cannot delete a post."""
    auth.login()
    assert client.get("/1/delete").status_code == 405
    assert post_row(app) is not None


# --- create, update, delete -------------------------------------------------


def test_create(client, auth, app):
    """A new post is saved with its author and a UTC timestamp, and is listed first."""
    auth.login()
    assert client.get("/create").status_code == 200
    response = submit_form(
        client, "/create", {"title": "  created  ", "body": "line 1\r\nline 2"}
    )
    assert response.headers["Location"] == "/"
    row = post_row(app, 2)
    assert row["title"] == "created"
    assert row["body"] == "line 1\nline 2"
    assert row["author_id"] == 1
    assert row["created"].endswith("Z") and len(row["created"]) == 20
    text = client.get("/").text
    assert "Post published." in text
    assert text.index("<h2>created<") < text.index("<h2>test title<")


def test_update(client, auth, app):
    """The edit form shows the post; saving changes it."""
    auth.login()
    page = client.get("/1/update")
    assert page.status_code == 200
    assert 'value="test title"' in page.text
    assert "test\nbody</textarea>" in page.text
    assert 'action="/1/delete"' in page.text
    assert (
        'data-confirm="Delete this post? This cannot be undone."' in page.text
    )

    response = submit_form(
        client, "/1/update", {"title": "updated", "body": "new body"}
    )
    assert response.headers["Location"] == "/"
    row = post_row(app)
    assert (row["title"], row["body"]) == ("updated", "new body")
    assert "Post updated." in client.get("/").text


@pytest.mark.parametrize("path", ["/create", "/1/update"])
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "body": "b"}, "title", "Title is required."),
        ({"title": "   ", "body": "b"}, "title", "Title is required."),
        ({"body": "b"}, "title", "Title is required."),
        (
            {"title": "t" * 201, "body": ""},
            "title",
            "Title must be at most 200 characters.",
        ),
        (
            {"title": "t" * 10_000, "body": ""},
            "title",
            "Title must be at most 200 characters.",
        ),
        (
            {"title": "t", "body": "b" * 10_001},
            "body",
            "Body must be at most 10,000 characters.",
        ),
        (
            {"title": "t", "body": "b" * 100_000},
            "body",
            "Body must be at most 10,000 characters.",
        ),
    ],
)
def test_create_update_validate(client, auth, app, path, data, field, message):
    """Bad input: its message by its field, what was typed kept, 400, nothing saved."""
    auth.login()
    before = post_row(app)
    response = submit_form(client, path, data)
    assert response.status_code == 400
    assert (
        f'<p class="error" id="{field}-error">{message}</p>' in response.text
    )
    if data.get("body"):
        assert data["body"] in response.text  # what was typed is not lost
    assert post_row(app) == before
    assert post_row(app, 2) is None


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_create_update_accept_the_limits(client, auth, app, path):
    """Exactly 200 and 10,000 characters are fine; an empty body too."""
    auth.login()
    title, body = (
        "t" * 200,
        "\r\n".join(["b" * 99] * 100),
    )  # 10,000 once \r\n is \n
    assert (
        submit_form(client, path, {"title": title, "body": body}).status_code
        == 302
    )
    assert (
        submit_form(client, path, {"title": "no body", "body": ""}).status_code
        == 302
    )


def test_delete(client, auth, app):
    """Deleting removes the post and says so."""
    auth.login()
    response = submit_form(client, "/1/delete", form_url="/1/update")
    assert response.headers["Location"] == "/"
    assert post_row(app) is None
    assert "Post deleted." in client.get("/").text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/create", {"title": "forged", "body": ""}),
        ("/1/update", {"title": "forged", "body": ""}),
        ("/1/delete", {}),
    ],
)
def test_missing_csrf_token_changes_nothing(client, auth, app, path, data):
    """A form posted from another site carries no token: 400, nothing changed."""
    auth.login()
    before = post_row(app)
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text
    assert post_row(app) == before
    assert post_row(app, 2) is None


def test_oversized_request_is_413(client, auth):
    """A request over MAX_CONTENT_LENGTH (1 MB) is refused before the view runs."""
    auth.login()
    response = submit_form(
        client, "/create", {"title": "t", "body": "b" * 2_000_000}
    )
    assert response.status_code == 413
