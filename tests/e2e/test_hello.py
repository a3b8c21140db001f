"""hello: a learner clicks through every lesson of the first example."""

from __future__ import annotations

from urllib.parse import quote

from e2e_support import XSS_PROBE
from playwright.sync_api import expect

#: Lessons that answer with an error on purpose, and its status: the page
#: with a bug is there in debug mode only.
BROKEN_ON_PURPOSE = {"/hello/debugger": 404}


def test_hello_journey(user):
    """Follow every lesson; try dynamic routes, forms, an upload and a 404."""
    learner = user("learner")

    # The start page says hello and links to every lesson.
    page = learner.visit("/hello/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, World!")
    learner.check(screenshot="hello-index")

    # Every link on it leads to a working page (the debugger lesson's page
    # is not there without debug mode: hello's own 404 page says why).
    links = page.locator("main a")
    paths = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(paths) >= 15, f"the index lost its lesson links: {paths}"
    for path in paths:
        status = BROKEN_ON_PURPOSE.get(path, 200)
        learner.visit(path, status=status)
        if status == 404:
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Page not found"
            )
            expect(page.locator("main")).to_contain_text("debug mode only")
        learner.check()

    # Dynamic routes: a word and two signed numbers come from the URL...
    learner.visit("/hello/capitalize/flask")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask")
    learner.check()
    learner.visit("/hello/capitalize/" + quote("<img src=x onerror=alert(1)>"))
    learner.expect_text_shown_literally(
        page.locator("main code"), "<img src=x onerror=alert(1)>"
    )
    learner.check()
    learner.visit("/hello/add/-2/40")
    expect(page.get_by_role("heading", level=1)).to_have_text("-2 + 40 = 38")
    learner.check()
    # ...and a word where a number belongs is a friendly 404 page.
    learner.visit("/hello/add/two/40", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    learner.check()
    learner.follow(
        page.get_by_role("link", name="back to the lessons"), "/hello/"
    )
    learner.check()

    # A GET form, and its answer to a POST...
    learner.visit("/hello/methods")
    learner.check()
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Send (POST)").click()
    expect(page.locator("main .answer")).to_have_text(
        "Hello, Ada! Your browser sent the form with a POST request."
    )
    learner.check(screenshot="hello-methods")
    # ...where markup typed as a name stays text.
    page.get_by_label("Your name").fill(XSS_PROBE)
    page.get_by_role("button", name="Send (POST)").click()
    learner.expect_text_shown_literally(
        page.locator("main .answer"), f"Hello, {XSS_PROBE}!"
    )
    expect(page.locator("main")).to_contain_text("with a POST request")
    learner.check()
    # A blank name is refused, and the field shows it: red, described.
    page.get_by_label("Your name").fill("   ")
    with learner.expecting_error("/hello/methods"):
        page.get_by_role("button", name="Send (POST)").click()
        field = page.get_by_label("Your name")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_css("border-color", "rgb(164, 14, 38)")
        learner.check()

    # A flashed message shows once, after the redirect...
    learner.visit("/hello/flashing")
    learner.check()
    page.get_by_label("Your name").fill("Grace")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Thank you, Grace: your name was received."
    )
    learner.check(screenshot="hello-flashing")
    # ...and is gone on the next visit.
    learner.visit("/hello/flashing")
    expect(page.get_by_role("status")).to_have_count(0)
    learner.check()
    page.get_by_label("Your name").fill(XSS_PROBE)
    page.get_by_role("button", name="Send", exact=True).click()
    flash = page.get_by_role("status")
    learner.expect_text_shown_literally(
        flash, f"Thank you, {XSS_PROBE}: your name was received."
    )
    learner.check()

    # Upload a text file: it is saved and listed for download.
    learner.visit("/hello/uploads")
    learner.check()
    page.get_by_label("A file to upload").set_input_files(
        files=[
            {
                "name": "notes.txt",
                "mimeType": "text/plain",
                "buffer": b"Flask notes\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Uploaded notes.txt.")
    expect(page.get_by_role("link", name="notes.txt")).to_have_attribute(
        "href", "/hello/uploads/notes.txt"
    )
    learner.check(screenshot="hello-uploads")

    # Another visitor, in a browser of their own, neither sees nor gets it.
    stranger = user("stranger")
    their_page = stranger.visit("/hello/uploads")
    expect(their_page.locator("main")).to_contain_text("No files yet.")
    expect(their_page.get_by_role("link", name="notes.txt")).to_have_count(0)
    stranger.check()
    stranger.visit("/hello/uploads/notes.txt", status=404)
    stranger.check()

    # A file type that could run scripts in a browser is refused, clearly.
    page.get_by_label("A file to upload").set_input_files(
        files=[
            {
                "name": "page.html",
                "mimeType": "text/html",
                "buffer": b"<script>1</script>",
            }
        ]
    )
    with learner.expecting_error("/hello/uploads"):
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "400 Bad Request"
        )
        expect(page.locator("main")).to_contain_text(
            "Files of that type are not allowed"
        )
        learner.check()
    learner.visit("/hello/uploads")
    expect(page.get_by_role("link", name="page.html")).to_have_count(0)
    expect(page.get_by_role("link", name="notes.txt")).to_have_count(1)
    learner.check()

    # An address that does not exist: hello's own 404 page, with a way back.
    learner.visit("/hello/no-such-lesson", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    learner.check(screenshot="hello-404")
