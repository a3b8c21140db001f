"""The blog: the index and its pages, writing, editing and deleting posts."""

from __future__ import annotations

import re

import pytest
from conftest import flashed
from html_page import Page

from flaskr.db import get_db
from showcase.testing import csrf_token, submit_form

#: The build-along step that makes these tests pass (steps/flaskr).
pytestmark = pytest.mark.step(6)

#: Marks the tests and cases of step 7, editing and deleting.
EDIT = pytest.mark.step(7)
#: Marks the tests of step 8, pages of posts.
PAGES = pytest.mark.step(8)


def post_row(app, post_id=1):
    """Return post ``post_id`` as a dict, or None."""
    with app.app_context():
        row = (
            get_db()
            .execute("SELECT * FROM post WHERE id = ?", (post_id,))
            .fetchone()
        )
    return dict(row) if row else None


def add_posts(app, count, created="2020-01-01T00:{:02d}:{:02d}Z"):
    """Add ``count`` posts a second apart, titled ``post 0``, ``post 1``..."""
    with app.app_context():
        db = get_db()
        for number in range(count):
            db.execute(
                "INSERT INTO post (title, body, author_id, created)"
                " VALUES (?, '', 1, ?)",
                (f"post {number}", created.format(*divmod(number, 60))),
            )
        db.commit()


# --- the index --------------------------------------------------------------


def test_index(client, auth, app):
    """Visitors see the posts and the login links; the logged in, New post."""
    page = Page(client.get("/").text)
    assert {"/auth/login", "/auth/register"} <= set(page.hrefs())
    assert page_titles(app, page) == ["test title"]
    assert "test body" in page.text()
    # The author's name, besides the title and body that hold "test" too.
    others = page.text().replace("test title", "").replace("test body", "")
    assert "test" in others.split()
    assert page.times == [("2018-01-01T00:00:00Z", "1 Jan 2018, 00:00 UTC")]
    assert "/create" not in page.hrefs()

    auth.login()
    page = Page(client.get("/").text)
    assert "Log Out" in page.texts
    assert "/create" in page.hrefs()


@EDIT
def test_index_shows_edit_links_to_the_author(client, auth):
    """The author of a post sees its Edit link; visitors do not."""
    assert "/1/update" not in Page(client.get("/").text).hrefs()
    auth.login()
    assert "/1/update" in Page(client.get("/").text).hrefs()


@EDIT
def test_index_hides_edit_link_from_others(client, auth, app):
    """Another user sees the post but no Edit link."""
    auth.login("other", "other-password")
    page = Page(client.get("/").text)
    assert page_titles(app, page) == ["test title"]
    assert "/1/update" not in page.hrefs()


def test_index_empty(client, app):
    """With no posts, the index says so."""
    with app.app_context():
        db = get_db()
        db.execute("DELETE FROM post")
        db.commit()
    assert "No posts yet." in client.get("/").text


def test_empty_index_offers_to_write_the_first_post(client, app, auth):
    """With no posts, visitors get a link to write one (they log in first);
    with posts, the page has no such link for them."""
    assert "/create" not in Page(client.get("/").text).hrefs()
    with app.app_context():
        db = get_db()
        db.execute("DELETE FROM post")
        db.commit()
    assert "/create" in Page(client.get("/").text).hrefs()
    response = client.get("/create")
    assert response.headers["Location"].startswith("/auth/login")


def test_titles_and_bodies_are_escaped(client, auth):
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
    assert "<img src=x" not in text
    # Shown as text, as typed: the visitor reads the tags.
    shown = Page(text).texts
    assert "<script>alert(1)</script>" in shown
    assert '<img src=x onerror="alert(2)">' in shown


# --- pages of posts ---------------------------------------------------------


def page_titles(app, page):
    """Return the titles of the posts a page shows, top to bottom.

    A title counts where it is the whole text of an element, as in a
    heading or a link: in any markup.
    """
    if isinstance(page, str):
        page = Page(page)
    with app.app_context():
        rows = get_db().execute("SELECT title FROM post").fetchall()
    titles = {title for (title,) in rows}
    return [text for text in page.texts if text in titles]


def link(text, rel):
    """Return the href of the link with ``rel`` (next, prev), or None."""
    return Page(text).link(rel)


@PAGES
def test_index_pages_newest_first(client, app):
    """Ten posts a page, newest first, Older and Newer links between pages."""
    add_posts(app, 24)  # plus the test post from 2018, the oldest: 25 in all

    first = client.get("/").text
    assert page_titles(app, first) == [f"post {n}" for n in range(23, 13, -1)]
    assert link(first, "prev") is None
    # The link carries the position of the last post shown: time and id.
    assert link(first, "next") == "/?before=2020-01-01T00:00:14Z.16"

    second = client.get(link(first, "next")).text
    assert page_titles(app, second) == [f"post {n}" for n in range(13, 3, -1)]
    assert link(second, "prev") == "/?after=2020-01-01T00:00:13Z.15"

    last = client.get(link(second, "next")).text
    assert page_titles(app, last) == [
        *(f"post {n}" for n in range(3, -1, -1)),
        "test title",
    ]
    assert link(last, "next") is None

    back = client.get(link(last, "prev")).text
    assert page_titles(app, back) == page_titles(app, second)
    assert link(back, "next") == link(second, "next")
    assert link(back, "prev") == link(second, "prev")
    # Newer from the second page: the newest posts, at their one address.
    assert client.get(link(second, "prev")).headers["Location"] == "/"


@PAGES
def test_pages_stay_put_when_posts_are_added(client, app, auth):
    """A new post does not shift the next page: no post shown twice."""
    add_posts(app, 24)
    first = client.get("/").text
    auth.login()
    submit_form(client, "/create", {"title": "brand new", "body": ""})
    second = client.get(link(first, "next")).text
    assert page_titles(app, second)[0] == "post 13"


@PAGES
def test_same_second_posts_keep_a_stable_order(client, app):
    """Posts written in the same second come newest (highest id) first."""
    app.config["POSTS_PER_PAGE"] = 1
    add_posts(app, 2, created="2030-01-01T00:00:00Z")
    first = client.get("/").text
    assert page_titles(app, first) == ["post 1"]
    second = client.get(link(first, "next")).text
    assert page_titles(app, second) == ["post 0"]
    assert link(second, "prev") == "/?after=2030-01-01T00:00:00Z.2"


@PAGES
def test_posts_per_page_setting(client, app):
    """POSTS_PER_PAGE sets the page size."""
    app.config["POSTS_PER_PAGE"] = 2
    add_posts(app, 3)
    text = client.get("/").text
    assert len(page_titles(app, text)) == 2
    assert link(text, "next") is not None


@PAGES
def test_one_page_has_no_links(client):
    """With a page's worth of posts or fewer, no Older or Newer link."""
    text = client.get("/").text
    assert link(text, "next") is None and link(text, "prev") is None


@PAGES
def test_old_page_links_go_to_the_newest_posts(client):
    """``?page=N`` links from before: moved for good (301) to the first page.

    The status is the lesson here: a 301 tells search engines and bookmarks
    that the old address is gone for good.
    """
    for page in ["1", "2", "0", "abc", "99999999999999999"]:
        response = client.get("/", query_string={"page": page})
        assert response.status_code == 301, page
        assert response.headers["Location"] == "/"


#: Positions flaskr never writes in its Older and Newer links.
BAD_POSITIONS = [
    "",
    "abc",
    "2020-01-01T00:00:00Z",
    "2020-01-01T00:00:00Z.",
    "2020-01-01T00:00:00Z.-1",
    "2020-01-01T00:00:00Z.1.5",
    "2020-01-01T00:00:00Z.abc",
    "2020-01-01T00:00:00Z.99999999999999999999",
    "2020-01-01T00:00:00Z.9223372036854775808",
    "2020-01-01T00:00:00Z.\u0661",
    "2020-01-01.1",
    "2020-01-01 00:00:00.1",
    "2020-01-01T00:00:00+00:00.1",
    "2020-13-01T00:00:00Z.1",
    "2020-02-30T00:00:00Z.1",
    "9999-12-31T23:59:59-14:00.1",
    "\x00.1",
    ".1",
]


@PAGES
def test_bad_positions_are_400(client):
    """A position flaskr never wrote: 400 Bad Request, never a 500."""
    for arg in ("before", "after"):
        for value in BAD_POSITIONS:
            response = client.get("/", query_string={arg: value})
            assert response.status_code == 400, (arg, value)


@PAGES
def test_before_and_after_together_is_400(client):
    """Both directions at once make no sense: 400."""
    response = client.get(
        "/?before=2020-01-01T00:00:00Z.1&after=2020-01-01T00:00:00Z.1"
    )
    assert response.status_code == 400


@PAGES
def test_position_past_the_oldest_post_is_404(client):
    """Older than the oldest post: nothing there, 404."""
    response = client.get("/?before=2000-01-01T00:00:00Z.1")
    assert response.status_code == 404


@PAGES
def test_position_past_the_newest_post_goes_to_the_first_page(client):
    """Newer than the newest post: the first page is the answer."""
    response = client.get("/?after=2100-01-01T00:00:00Z.1")
    assert response.headers["Location"] == "/"


@PAGES
def test_largest_id_is_a_valid_position(client, app):
    """The largest id SQLite can hold is fine: every post is older."""
    response = client.get("/?before=2100-01-01T00:00:00Z.9223372036854775807")
    assert page_titles(app, response.text) == ["test title"]


def traced_sql(app, url):
    """Show ``url``; return the SQL it ran, values filled in."""
    statements = []
    with app.test_request_context(url):
        get_db().set_trace_callback(statements.append)
        response = app.full_dispatch_request()
    assert response.status_code == 200
    return statements


PAGE_URLS = [
    "/",
    "/?before=2020-01-01T00:00:14Z.16",
    "/?after=2020-01-01T00:00:04Z.6",
]


@PAGES
@pytest.mark.parametrize("url", PAGE_URLS)
def test_a_page_view_counts_nothing(app, url):
    """No COUNT and no OFFSET: each query reads one page from the index."""
    add_posts(app, 24)
    statements = traced_sql(app, url)
    assert 1 <= len(statements) <= 2
    for sql in statements:
        assert "COUNT" not in sql.upper()
        assert "OFFSET" not in sql.upper()
        assert "LIMIT" in sql


@pytest.mark.slow
@PAGES
@pytest.mark.parametrize("url", PAGE_URLS)
def test_index_queries_use_the_index(app, url):
    """Every query of a page walks post_created from its position.

    No table scan and no sort of all posts: SEARCH (a jump to the position)
    of the index, and each author found by primary key.
    """
    add_posts(app, 24)
    for sql in traced_sql(app, url):
        with app.app_context():
            plan = get_db().execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        details = [row["detail"] for row in plan]
        assert details[0].startswith("SEARCH"), details
        assert "INDEX post_created" in details[0], details
        assert not any("TEMP B-TREE" in detail for detail in details)
        for detail in details[1:]:
            assert "USING INTEGER PRIMARY KEY" in detail, details


# --- login required ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "next_page"),
    [
        ("/create", "/create"),
        pytest.param("/1/update", "/1/update", marks=EDIT),
        pytest.param(
            "/1/update?from=index", "/1/update?from%3Dindex", marks=EDIT
        ),
    ],
)
def test_login_required_get(client, path, next_page):
    """A page that needs a login: to the login page, then back."""
    response = client.get(path)
    assert response.headers["Location"] == f"/auth/login?next={next_page}"


@pytest.mark.parametrize(
    "path",
    [
        "/create",
        pytest.param("/1/update", marks=EDIT),
        pytest.param("/1/delete", marks=EDIT),
    ],
)
def test_login_required_post(client, app, path):
    """A form sent while logged out changes nothing: login, then the index."""
    response = submit_form(
        client, path, {"title": "changed", "body": ""}, form_url="/auth/login"
    )
    assert response.headers["Location"] == "/auth/login?next=/"
    assert post_row(app)["title"] == "test title"
    assert post_row(app, 2) is None


def test_login_required_round_trip(client):
    """From /create to the login page and back to /create."""
    login_url = client.get("/create").headers["Location"]
    response = submit_form(
        client, login_url, {"username": "test", "password": "test-password"}
    )
    assert response.headers["Location"] == "/create"
    assert client.get("/create").status_code == 200


# --- other people's posts, missing posts ------------------------------------


@EDIT
@pytest.mark.parametrize("path", ["/1/update", "/1/delete"])
def test_author_required(app, client, auth, path):
    """Someone else's post: 403, and the row is unchanged."""
    before = post_row(app)
    auth.login("other", "other-password")
    response = submit_form(
        client, path, {"title": "stolen", "body": ""}, form_url="/"
    )
    assert response.status_code == 403
    assert post_row(app) == before


@EDIT
def test_author_required_get(client, auth):
    """Someone else's edit page: 403."""
    auth.login("other", "other-password")
    assert client.get("/1/update").status_code == 403


@EDIT
def test_exists_required(client, auth):
    """A post that does not exist: 404, for the form and for a POST."""
    auth.login()
    token = csrf_token(client.get("/"))
    for path in ["/2/update", "/2/delete", "/99999999999999999999/delete"]:
        data = {"title": "x", "body": "", "csrf_token": token}
        response = client.post(path, data=data)
        assert response.status_code == 404, path
        post_id = path.split("/")[1]
        shown = Page(response.text).text()
        assert f"Post id {post_id} doesn't exist." in shown
    assert client.get("/2/update").status_code == 404


@EDIT
def test_bad_ids_are_404(client, auth):
    """Ids that are not whole numbers, or too large for any post: 404."""
    auth.login()
    for path in [
        "/abc/update",
        "/-1/update",
        "/1.5/update",
        "/abc/delete",
        "/9223372036854775808/update",
        "/99999999999999999999999/update",
    ]:
        assert client.get(path).status_code == 404, path


@EDIT
def test_delete_is_post_only(client, auth, app):
    """GET /1/delete is refused (405): a link cannot delete a post."""
    auth.login()
    assert client.get("/1/delete").status_code == 405
    assert post_row(app) is not None


# --- create, update, delete -------------------------------------------------


def test_create(client, auth, app):
    """A new post is saved with its author and UTC time, and listed first."""
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
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["created"])
    ((category, message),) = flashed(client)
    assert category == "success"
    text = client.get("/").text
    assert message in text
    assert page_titles(app, text) == ["created", "test title"]


@EDIT
def test_update(client, auth, app):
    """The edit form shows the post; saving changes it."""
    auth.login()
    response = client.get("/1/update")
    assert response.status_code == 200
    page = Page(response.text)
    form = page.form_with("title")
    assert form["title"]["value"] == "test title"
    assert form["body"]["text"].strip() == "test\nbody"
    # The delete button's form, which asks first (confirm.js).
    (delete,) = [
        f for f in page.forms if f["form"].get("action") == "/1/delete"
    ]
    assert delete["form"]["data-confirm"]

    response = submit_form(
        client, "/1/update", {"title": "updated", "body": "new body"}
    )
    assert response.headers["Location"] == "/"
    row = post_row(app)
    assert (row["title"], row["body"]) == ("updated", "new body")
    ((category, message),) = flashed(client)
    assert category == "success"
    assert message in client.get("/").text


#: Bad posts: (the form, the field with an error, its message).
BAD_POSTS = [
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
]


@pytest.mark.parametrize(
    "path", ["/create", pytest.param("/1/update", marks=EDIT)]
)
def test_create_update_validate(client, auth, app, path):
    """Bad input: an error by its field, input kept, 400, nothing saved."""
    auth.login()
    before = post_row(app)
    blank = client.get(path)
    token = csrf_token(blank)
    for data, field, _ in BAD_POSTS:
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 400, data
        errors = Page(response.text).fields_with_errors(Page(blank.text))
        assert errors == {field}, data
        if data.get("body"):
            assert data["body"] in response.text  # what was typed is kept
    assert post_row(app) == before
    assert post_row(app, 2) is None


@pytest.mark.parametrize(
    "path", ["/create", pytest.param("/1/update", marks=EDIT)]
)
def test_create_update_accept_the_limits(client, auth, path):
    """Exactly 200 and 10,000 characters are fine; an empty body too."""
    auth.login()
    # 10,000 characters once each \r\n counts as one.
    title, body = "t" * 200, "\r\n".join(["b" * 99] * 100)
    response = submit_form(client, path, {"title": title, "body": body})
    assert response.headers["Location"] == "/"
    response = submit_form(client, path, {"title": "no body", "body": ""})
    assert response.headers["Location"] == "/"


def test_post_form_limits_are_the_server_limits(client, auth):
    """The form asks for what the server accepts: the same lengths."""
    auth.login()
    form = Page(client.get("/create").text).form_with("title")
    assert form["title"]["maxlength"] == "200"
    assert form["body"]["maxlength"] == "10000"


@EDIT
def test_delete(client, auth, app):
    """Deleting removes the post and says so."""
    auth.login()
    response = submit_form(client, "/1/delete", form_url="/1/update")
    assert response.headers["Location"] == "/"
    assert post_row(app) is None
    ((category, message),) = flashed(client)
    assert category == "success"
    assert message in client.get("/").text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/create", {"title": "forged", "body": ""}),
        pytest.param("/1/update", {"title": "forged", "body": ""}, marks=EDIT),
        pytest.param("/1/delete", {}, marks=EDIT),
    ],
)
def test_missing_csrf_token_changes_nothing(client, auth, app, path, data):
    """A form from another site carries no token: 400, nothing changed."""
    auth.login()
    before = post_row(app)
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert post_row(app) == before
    assert post_row(app, 2) is None


def test_oversized_request_is_413(client, auth):
    """A request over MAX_CONTENT_LENGTH (1 MB) is refused before the view."""
    auth.login()
    response = submit_form(
        client, "/create", {"title": "t", "body": "b" * 2_000_000}
    )
    assert response.status_code == 413
