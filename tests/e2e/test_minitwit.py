"""minitwit: sign up by mail, post, follow, unfollow, reset the password."""

from __future__ import annotations

import re

from e2e_support import XSS_PROBE, Visitor
from PIL import Image
from playwright.sync_api import expect

#: A demo account loaded by ``flask --app minitwit seed`` (see its README).
ALICE = "alice"
#: A link in a mail: the test server's address, then minitwit's path.
LINK = re.compile(r"http://127\.0\.0\.1:\d+/minitwit/\S+")


def link_in(mail) -> str:
    """The one minitwit link in a mail's plain-text body."""
    body = mail.get_body(preferencelist=("plain",)).get_content()
    links = LINK.findall(body)
    assert len(links) == 1, (
        f"expected one link in the mail, found {links}:\n{body}"
    )
    return links[0]


def log_in(
    visitor: Visitor, username: str, password: str, *, remember: bool = False
) -> None:
    """Log in from the login page now shown, and land on the home timeline."""
    page = visitor.page
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in", exact=True).click()
    visitor.expect_path("/minitwit/")
    expect(
        page.get_by_role("status").filter(has_text="You were logged in.")
    ).to_be_visible()
    visitor.check()


def messages_by(visitor: Visitor, author: str):
    """The messages on the page now shown that ``author`` wrote."""
    return visitor.page.locator("li.message").filter(
        has=visitor.page.get_by_role("link", name=author, exact=True)
    )


def test_minitwit_journey(user, mailbox):
    """Dana signs up by mail, posts, follows, unfollows, resets a password."""
    dana = user("dana")
    page = dana.page

    # Anonymous visitors are sent to the public timeline.
    dana.visit("/minitwit/")
    dana.expect_path("/minitwit/public")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Public timeline"
    )
    dana.check(screenshot="minitwit-public")

    # Dana signs up; minitwit mails a confirmation link and asks her to log
    # in (the same answer whether or not the address had an account).
    dana.follow(page.get_by_role("link", name="Sign up"), "/minitwit/register")
    dana.check()
    page.get_by_label("Username", exact=True).fill("dana")
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_label("Password", exact=True).fill("dana-first-password")
    page.get_by_label("Repeat the password").fill("dana-first-password")
    dana.screenshot("minitwit-register")
    page.get_by_role("button", name="Sign up", exact=True).click()
    dana.expect_path("/minitwit/login")
    expect(page.get_by_role("status").first).to_have_text(
        "We sent a mail to dana@example.org: open its link."
    )
    dana.check()

    # She opens the link from the mail and confirms with the button.
    confirm_mail = mailbox.mail_to("dana@example.org", 1)
    assert "Confirm your email address" in confirm_mail["Subject"]
    dana.page.goto(link_in(confirm_mail))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirm your address"
    )
    dana.check()
    page.get_by_role("button", name="Confirm my address").click()
    dana.expect_path("/minitwit/public")
    expect(page.get_by_role("status")).to_have_text(
        [
            "Thank you, your address is confirmed.",
            "Every other browser logged in to this account was logged out.",
        ]
    )
    dana.check()

    # She logs in, asking to be remembered.
    dana.follow(
        page.get_by_role("link", name="Log in", exact=True), "/minitwit/login"
    )
    dana.check(screenshot="minitwit-login")
    log_in(dana, "dana", "dana-first-password", remember=True)
    # Remember me: with the session cookie gone (the browser was closed),
    # she is still in.
    dana.context.clear_cookies(name="minitwit_session")
    dana.visit("/minitwit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My timeline")
    dana.check()

    # She posts a message; markup in it is shown as text.
    page.get_by_label("What's on your mind?").fill(
        f"My first twit! {XSS_PROBE}"
    )
    page.get_by_role("button", name="Share").click()
    dana.expect_path("/minitwit/")
    expect(page.get_by_role("status")).to_have_text(
        "Your message was recorded."
    )
    dana.expect_text_shown_literally(
        messages_by(dana, "dana").locator(".body")
    )
    expect(messages_by(dana, ALICE)).to_have_count(0)
    # Next to it, her picture: drawn by minitwit from her name.
    avatar = messages_by(dana, "dana").locator("img.avatar")
    expect(avatar).to_have_attribute("src", "/minitwit/avatar/dana.svg")
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0")
    dana.check()

    # She follows Alice: Alice's messages join her home timeline.
    dana.visit(f"/minitwit/{ALICE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{ALICE}'s timeline"
    )
    dana.check()
    page.get_by_role("button", name="Follow", exact=True).click()
    dana.expect_path(f"/minitwit/{ALICE}")
    expect(page.get_by_role("status")).to_have_text(
        f"You are now following {ALICE}."
    )
    dana.check()
    dana.follow(page.get_by_role("link", name="My timeline"), "/minitwit/")
    expect(messages_by(dana, ALICE).first).to_be_visible()
    expect(messages_by(dana, "dana")).to_have_count(1)
    dana.check(screenshot="minitwit-home")

    # She unfollows Alice: her messages leave the home timeline.
    dana.follow(
        messages_by(dana, ALICE).first.get_by_role("link", name=ALICE),
        f"/minitwit/{ALICE}",
    )
    dana.check()
    page.get_by_role("button", name="Unfollow").click()
    dana.expect_path(f"/minitwit/{ALICE}")
    expect(page.get_by_role("status")).to_have_text(
        f"You are no longer following {ALICE}."
    )
    dana.check()
    dana.follow(page.get_by_role("link", name="My timeline"), "/minitwit/")
    expect(messages_by(dana, "dana")).to_have_count(1)
    expect(messages_by(dana, ALICE)).to_have_count(0)
    dana.check()

    # She logs out, and forgets her password: she asks for a reset link.
    page.get_by_role("button", name="Log out").click()
    dana.expect_path("/minitwit/public")
    expect(page.get_by_role("status")).to_have_text("You were logged out.")
    dana.check()
    dana.follow(
        page.get_by_role("link", name="Log in", exact=True), "/minitwit/login"
    )
    dana.check()
    dana.follow(
        page.get_by_role("link", name="Forgot your password?"),
        "/minitwit/reset",
    )
    dana.check()
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_role("button", name="Send the link").click()
    dana.expect_path("/minitwit/login")
    expect(page.get_by_role("status")).to_contain_text(
        "we sent it a link to choose a new password"
    )
    dana.check()

    # The mailed link lets her choose a new password...
    reset_mail = mailbox.mail_to("dana@example.org", 2)
    dana.page.goto(link_in(reset_mail))
    dana.check(screenshot="minitwit-reset-password")
    page.get_by_label("Password", exact=True).fill("dana-second-password")
    page.get_by_label("Repeat the password").fill("dana-second-password")
    page.get_by_role("button", name="Set the new password").click()
    dana.expect_path("/minitwit/login")
    expect(page.get_by_role("status")).to_have_text(
        "Your password has been changed. Log in with the new one."
    )
    dana.check()

    # ...after which the old one no longer works, and the new one does.
    page.get_by_label("Username", exact=True).fill("dana")
    page.get_by_label("Password", exact=True).fill("dana-first-password")
    with dana.expecting_error("/minitwit/login"):
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("alert")).to_have_text(
            "Invalid username or password."
        )
        dana.check()
    log_in(dana, "dana", "dana-second-password")
    expect(messages_by(dana, "dana")).to_have_count(1)


def test_minitwit_profile_and_picture(user, tmp_path):
    """Alice says who she is, uploads a picture, sees it, then removes it."""
    alice = user("alice")
    page = alice.page
    alice.visit("/minitwit/login")
    alice.check()
    log_in(alice, ALICE, "minitwit-demo")

    # "Settings" opens her profile; markup in it is shown as text.
    alice.follow(
        page.get_by_role("link", name="Settings"), "/minitwit/settings/profile"
    )
    alice.check()
    page.get_by_label("Display name").fill("Alice Liddell")
    page.get_by_label("About me").fill(f"Down the hole {XSS_PROBE}")
    page.get_by_role("button", name="Save").click()
    alice.expect_path(f"/minitwit/{ALICE}")
    expect(page.get_by_text("Alice Liddell")).to_be_visible()
    alice.expect_text_shown_literally(page.locator("main p"))
    alice.check()

    # She uploads a photo: her messages show it, redrawn by minitwit.
    photo = tmp_path / "holiday.jpg"
    Image.new("RGB", (640, 480), (200, 80, 40)).save(photo)
    page.goto(alice.url("/minitwit/settings/profile"))
    alice.check()
    alice.follow(
        page.get_by_role("link", name="your picture"),
        "/minitwit/settings/avatar",
    )
    alice.check()
    page.get_by_label("Picture").set_input_files(photo)
    page.get_by_role("button", name="Upload").click()
    alice.expect_path("/minitwit/settings/avatar")
    expect(page.get_by_role("status")).to_have_text(
        "Your new picture is on your messages."
    )
    alice.check()
    alice.visit("/minitwit/public")
    avatar = messages_by(alice, ALICE).first.locator("img.avatar")
    expect(avatar).to_have_attribute(
        "src", re.compile(r"^/minitwit/avatars/[\w-]+\.webp$")
    )
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0")
    alice.check()

    # A web page renamed .png is refused, with the reason on the form.
    fake = tmp_path / "me.png"
    fake.write_text("<!DOCTYPE html><script>alert(1)</script>")
    alice.visit("/minitwit/settings/avatar")
    alice.check()
    page.get_by_label("Picture").set_input_files(fake)
    with alice.expecting_error("/minitwit/settings/avatar"):
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("markup")).to_be_visible()
        alice.check()

    # A file over 1 MiB is refused before it is read, with the form again.
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(2_000_000))
    page.get_by_label("Picture").set_input_files(big)
    with alice.expecting_error("/minitwit/settings/avatar"):
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("at most 1 MB")).to_be_visible()
        alice.check()

    # She removes it: the drawn picture is back.
    page.get_by_role("button", name=re.compile("Remove it")).click()
    alice.expect_path("/minitwit/settings/avatar")
    expect(page.locator("img.avatar-large")).to_have_attribute(
        "src", "/minitwit/avatar/alice.svg"
    )
    alice.check()


def test_minitwit_swagger_page_tries_the_public_timeline(user):
    """Erin reads the API's page and runs "Try it out" on the timeline."""
    erin = user("erin")
    page = erin.page

    # Swagger UI, from minitwit itself: the operations of the document.
    erin.visit("/minitwit/api/v1/docs")
    path = page.locator('[data-path="/api/v1/messages"]')
    operation = page.locator(".opblock-get").filter(has=path)
    expect(operation).to_be_visible()
    # Swagger UI's own colours (white on green GET/POST labels...) fail
    # axe-core's contrast rule; every other check holds on the page.
    swagger_ui = ("#swagger-ui",)
    erin.check(axe_exclude=swagger_ui)

    # She opens GET /api/v1/messages, tries it out and runs it.
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    response = operation.locator(".live-responses-table .response").first
    expect(response.locator(".response-col_status")).to_have_text("200")
    body = response.locator(".response-col_description pre").first
    expect(body).to_contain_text('"messages"')
    expect(body).to_contain_text('"author"')
    erin.check(axe_exclude=swagger_ui)


def test_minitwit_admin_site_under_the_csp(user):
    """bob, the admin, looks through the admin site and deletes a message."""
    bob = user("bob")
    page = bob.page
    bob.visit("/minitwit/login")
    bob.check()
    log_in(bob, "bob", "minitwit-demo")

    # The admin site: its own look, Flask-Admin's files served by minitwit.
    bob.visit("/minitwit/admin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    bob.check()
    bob.follow(
        page.get_by_role("link", name="Accounts").first,
        "/minitwit/admin/account/",
    )
    expect(page.get_by_role("cell", name="carol", exact=True)).to_be_visible()
    bob.check()

    # The filter menu and an edit form, whose scripts run under the CSP.
    page.get_by_role("button", name="Add Filter").click()
    page.get_by_role("button", name="Suspended").click()
    expect(page.locator("#filter_form tr")).to_have_count(1)
    bob.check()
    bob.visit("/minitwit/admin/account/edit/?id=3")
    expect(page.get_by_label("Why?")).to_be_visible()
    bob.check()

    # He deletes a message, saying yes when asked; then one more, ticked
    # in the list and deleted "with selected".
    bob.visit("/minitwit/admin/message/")
    bob.check()
    rows = page.locator("table.model-list tbody tr")
    text = rows.first.locator("td.col-text").inner_text()
    deleted = page.get_by_role("status").filter(has_text="deleted")
    with bob.accepting_confirm("Are you sure you want to delete this record?"):
        rows.first.get_by_role("button", name="Delete Record").click()
        expect(deleted).to_be_visible()
    expect(page.get_by_role("cell", name=text, exact=True)).to_have_count(0)
    bob.check()
    text = rows.first.locator("td.col-text").inner_text()
    rows.first.get_by_role("checkbox").check()
    page.get_by_role("button", name="With selected").click()
    with bob.accepting_confirm(
        "Are you sure you want to delete selected records?"
    ):
        page.get_by_role("button", name="Delete", exact=True).click()
        expect(deleted).to_be_visible()
    expect(page.get_by_role("cell", name=text, exact=True)).to_have_count(0)
    bob.check()

    # The audit log says so.
    bob.visit("/minitwit/admin/audit_log/")
    entries = page.get_by_role("cell", name="admin: delete message")
    expect(entries).to_have_count(2)
    bob.check()
