"""flaskr: a blogger registers, writes, edits and deletes; others only read."""

from __future__ import annotations

import re

from e2e_support import XSS_PROBE, Visitor
from playwright.sync_api import expect

#: A demo account loaded by ``flask --app flaskr seed`` (see its README).
BOB = ("bob", "bob-password")


def log_in(visitor: Visitor, username: str, password: str) -> None:
    """Log in with flaskr's form, from the Log In link; land on the index."""
    page = visitor.page
    visitor.follow(
        page.get_by_role("link", name="Log In", exact=True),
        "/flaskr/auth/login",
    )
    visitor.check()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log In", exact=True).click()
    visitor.expect_path("/flaskr/")
    expect(page.locator(".site-nav .user")).to_have_text(username)
    visitor.check()


def test_flaskr_journey(user, live_server):
    """Carol registers, posts, edits, deletes; Bob sees it but cannot edit."""
    carol = user("carol")
    page = carol.page
    per_page = live_server.example("flaskr").config["POSTS_PER_PAGE"]

    # The blog shows the newest posts to anyone, one page at a time (the demo
    # data has more posts than fit on one page).
    carol.visit("/flaskr/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts")
    expect(page.locator("article.post")).to_have_count(per_page)
    carol.check(screenshot="flaskr-index")

    # Carol registers, then logs in.
    carol.follow(
        page.get_by_role("link", name="Register", exact=True),
        "/flaskr/auth/register",
    )
    carol.check(screenshot="flaskr-register")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-password")
    page.get_by_role("button", name="Register", exact=True).click()
    carol.expect_path("/flaskr/auth/login")
    expect(page.get_by_role("status")).to_have_text(
        "Registered. You can log in now."
    )
    carol.check()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-password")
    page.get_by_role("button", name="Log In", exact=True).click()
    carol.expect_path("/flaskr/")
    expect(page.locator(".site-nav .user")).to_have_text("carol")
    carol.check()

    # She writes a post; markup in it is shown as text.
    carol.follow(page.get_by_role("link", name="New post"), "/flaskr/create")
    carol.check()
    page.get_by_label("Title").fill("Hello from Carol")
    page.get_by_label("Body").fill(f"Markup stays text here: {XSS_PROBE}")
    carol.screenshot("flaskr-create")
    page.get_by_role("button", name="Save", exact=True).click()
    carol.expect_path("/flaskr/")
    expect(page.get_by_role("status")).to_have_text("Post published.")
    newest = page.locator("article.post").first
    expect(newest.get_by_role("heading")).to_have_text("Hello from Carol")
    expect(newest.locator(".meta")).to_contain_text("by carol")
    carol.expect_text_shown_literally(newest.locator(".body"))
    carol.check()

    # She edits it from the index.
    carol.follow(
        newest.get_by_role("link", name="Edit “Hello from Carol”"),
        re.compile(r"/flaskr/\d+/update$"),
    )
    update_path = page.url.removeprefix(carol.base_url)
    expect(page.get_by_label("Title")).to_have_value("Hello from Carol")
    carol.check(screenshot="flaskr-update")
    page.get_by_label("Title").fill(f"Carol {XSS_PROBE}")
    page.get_by_role("button", name="Save", exact=True).click()
    carol.expect_path("/flaskr/")
    expect(page.get_by_role("status")).to_have_text("Post updated.")
    carol.expect_text_shown_literally(
        page.locator("article.post").first.get_by_role("heading"),
        f"Carol {XSS_PROBE}",
    )
    carol.check()

    # Bob, in his own browser, sees Carol's post but no way to edit it.
    bob = user("bob")
    bob.visit("/flaskr/")
    bob.check()
    log_in(bob, *BOB)
    carols = bob.page.locator("article.post").filter(has_text="by carol")
    expect(carols).to_have_count(1)
    expect(carols.get_by_role("link", name=re.compile("Edit"))).to_have_count(
        0
    )
    expect(
        bob.page.get_by_role("link", name=re.compile("^Edit"))
    ).not_to_have_count(0)
    # Typing the edit address himself gets him a 403 page, not the form.
    bob.visit(update_path, status=403)
    expect(bob.page.get_by_role("heading", level=1)).to_have_text(
        "403 Forbidden"
    )
    expect(bob.page.get_by_label("Title")).to_have_count(0)
    bob.check()

    # Carol deletes her post, after saying yes to "are you sure?".
    carol.visit(update_path)
    carol.check()
    with carol.accepting_confirm("Delete this post? This cannot be undone."):
        page.get_by_role("button", name="Delete", exact=True).click()
        carol.expect_path("/flaskr/")
    expect(page.get_by_role("status")).to_have_text("Post deleted.")
    expect(
        page.locator("article.post").filter(has_text="by carol")
    ).to_have_count(0)
    carol.check()

    # More posts than fit on a page: Older and Newer links page through
    # them, each carrying the position of the last (or first) post shown.
    page_one = page.locator("article.post h2").all_inner_texts()
    carol.follow(
        page.get_by_role("link", name="Older"),
        re.compile(r"/flaskr/\?before=[^&]+$"),
    )
    page_two = page.locator("article.post h2").all_inner_texts()
    assert page_two, "the second page is empty"
    assert not set(page_one) & set(page_two), "a post shows on both pages"
    carol.check()
    # Back to the newest posts: the first page, at its plain address.
    carol.follow(page.get_by_role("link", name="Newer"), "/flaskr/")
    expect(page.locator("article.post h2")).to_have_text(page_one)
    expect(page.get_by_role("link", name="Newer")).to_have_count(0)
    carol.check()
    # A position the app never wrote is a clear 400, not a 500.
    carol.visit("/flaskr/?before=not-a-position", status=400)
    carol.check()

    # Carol logs out: the nav offers to log in again; writing needs a login.
    carol.visit("/flaskr/")
    carol.check()
    page.get_by_role("button", name="Log Out").click()
    carol.expect_path("/flaskr/")
    expect(page.get_by_role("status")).to_have_text(
        "You have been logged out."
    )
    expect(page.get_by_role("link", name="Log In", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="New post")).to_have_count(0)
    carol.check()
    carol.visit("/flaskr/create")
    carol.expect_path(
        re.compile(r"/flaskr/auth/login\?next=(/|%2F)flaskr(/|%2F)create$")
    )
    carol.check()
