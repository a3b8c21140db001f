"""The portal: one server, every example, and each keeps its own login."""

from __future__ import annotations

import re

from e2e_support import REPO_ROOT
from playwright.sync_api import expect


def example_names() -> list[str]:
    """The examples in the repository, as the portal finds them."""
    return sorted(
        path.name
        for path in (REPO_ROOT / "examples").iterdir()
        if (path / path.name / "__init__.py").is_file()
    )


def test_landing_page_links_reach_every_example(user):
    """A visitor reaches each example from the landing page."""
    visitor = user("visitor")
    page = visitor.visit("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Flask showcase"
    )
    visitor.check(screenshot="portal-index")

    cards = page.locator(".example-list > li")
    names = example_names()
    expect(cards).to_have_count(len(names))
    for name in names:
        card = cards.filter(
            has=page.get_by_role("heading", name=name, exact=True)
        )
        # Each card says what the example is about and links to its chapter.
        expect(card.locator("p").first).not_to_be_empty()
        expect(
            card.get_by_role("link", name=f"Read the {name} chapter")
        ).to_have_attribute("href", f"/docs/{name}/index.html")
        # (An example may send an anonymous visitor on, as minitwit does to
        # /public.)
        visitor.follow(
            card.get_by_role("link", name=name, exact=True),
            re.compile(f"/{name}/"),
        )
        # The example's own page, in its own layout, linking back to its start.
        expect(page.locator("a.brand")).to_have_attribute("href", f"/{name}/")
        visitor.check()
        visitor.visit("/")
        visitor.check()


def test_each_example_keeps_its_own_login(user):
    """Logging in to flaskr does not log you in to minitwit, nor out of it."""
    visitor = user("visitor")
    page = visitor.page
    flaskr_user = page.locator(".site-nav .user")

    # Log in to flaskr as the demo user bob.
    visitor.visit("/flaskr/auth/login")
    visitor.check()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("bob-password")
    page.get_by_role("button", name="Log In", exact=True).click()
    visitor.expect_path("/flaskr/")
    expect(flaskr_user).to_have_text("bob")
    visitor.check()

    # minitwit, on the same server, does not know anyone is logged in.
    visitor.visit("/minitwit/")
    visitor.expect_path("/minitwit/public")
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    visitor.check()

    # Log in to minitwit as its demo user alice: flaskr still has bob.
    visitor.follow(
        page.get_by_role("link", name="Log in", exact=True), "/minitwit/login"
    )
    visitor.check()
    page.get_by_label("Username", exact=True).fill("alice")
    page.get_by_label("Password", exact=True).fill("minitwit-demo")
    page.get_by_role("button", name="Log in", exact=True).click()
    visitor.expect_path("/minitwit/")
    expect(
        page.get_by_role("link", name="alice", exact=True).first
    ).to_be_visible()
    visitor.check()
    visitor.visit("/flaskr/")
    expect(flaskr_user).to_have_text("bob")
    visitor.check()

    # Log out of flaskr: minitwit keeps alice logged in.
    page.get_by_role("button", name="Log Out").click()
    visitor.expect_path("/flaskr/")
    expect(page.get_by_role("link", name="Log In", exact=True)).to_be_visible()
    visitor.check()
    visitor.visit("/minitwit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My timeline")
    visitor.check()

    # Each example's cookie is its own, sent only to its own addresses.
    cookies = {
        cookie["name"]: cookie["path"] for cookie in visitor.context.cookies()
    }
    assert cookies.get("minitwit_session") == "/minitwit"
    assert (
        "flaskr_session" not in cookies
        or cookies["flaskr_session"] == "/flaskr"
    )
