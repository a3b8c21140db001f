"""The tutorial as the portal serves it: on a laptop and on a phone.

A reader starts at the docs' first page and follows "Next" to the last one.
Every page passes :meth:`Visitor.check` (axe, CSP, nothing from another
site), has Previous/Next links, shows code without sideways scrolling at
1280 pixels, and fits a 390-pixel phone. Shell tabs switch together.
Pictures of the first page and of one page per example, at both widths, go
to ``test-artifacts/e2e/docs/`` (the evidence for issue 12).
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from e2e_support import ARTIFACTS_DIR, REPO_ROOT, Visitor
from playwright.sync_api import Page, ViewportSize, expect

DOCS = REPO_ROOT / "docs"
#: Where ``nox -s docs`` builds the docs, and where the portal serves them.
BUILT = DOCS / "_build" / "html"
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
#: The examples whose chapters get a picture at both widths.
CHAPTERS = ("hello", "flaskr", "minitwit")
#: Code blocks whose longest line fits in this must never scroll sideways.
CODE_COLUMNS = 79

#: Every code block as [longest line, does it scroll sideways?].
CODE_BLOCKS_JS = """() => [...document.querySelectorAll('div.highlight pre')]
    .map(pre => [
        Math.max(...pre.textContent.split('\\n').map(line => line.length)),
        pre.scrollWidth > pre.clientWidth,
    ])"""
#: Whether the page itself is wider than the window (scrolls sideways).
PAGE_TOO_WIDE_JS = (
    "() => document.documentElement.scrollWidth > window.innerWidth"
)


@pytest.fixture(scope="module")
def built_docs() -> None:
    """Build the docs where the portal serves them from (as nox -s docs does).

    Warnings are not errors here: ``nox -s docs`` fails on them already.
    """
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", DOCS, BUILT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        "could not build the docs (after changing tests/e2e/requirements."
        "txt, run nox -s e2e once without -R):\n" + result.stderr
    )


def docs_path(page: Page) -> str:
    """The path of the page shown, e.g. ``/docs/hello/index.html``."""
    return urlsplit(page.url).path


def next_page(page: Page) -> str | None:
    """The path the page's "Next" link leads to, if it has one."""
    links = page.locator("a.next-page")
    if not links.count():
        return None
    return urlsplit(links.first.evaluate("link => link.href")).path


def assert_code_fits(page: Page) -> None:
    """No code block of up to 79 columns scrolls sideways."""
    blocks = page.evaluate(CODE_BLOCKS_JS)
    scrolling = [
        width for width, scrolls in blocks if scrolls and width <= CODE_COLUMNS
    ]
    assert not scrolling, (
        f"{docs_path(page)}: code blocks of {scrolling} columns scroll "
        "sideways at 1280 pixels"
    )


def shows_code_and_tabs(page: Page) -> bool:
    """Tell whether the page shows code and shell tabs."""
    return (
        page.locator("div.highlight").count() > 0
        and page.locator(".tab-set").count() > 0
    )


def picture(reader: Visitor, name: str) -> None:
    """Save the page at 1280 and 390 pixels in test-artifacts/e2e/docs/."""
    folder = ARTIFACTS_DIR / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    page = reader.page
    for size in (LAPTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(
            path=folder / f"{name}-{size['width']}.png", full_page=True
        )
    page.set_viewport_size(LAPTOP)


def on_a_phone(page: Page) -> None:
    """At 390 pixels the page fits, with its menu button."""
    page.set_viewport_size(PHONE)
    assert not page.evaluate(PAGE_TOO_WIDE_JS), (
        f"{docs_path(page)} is wider than a phone"
    )
    expect(page.locator(".mobile-header .nav-overlay-icon")).to_be_visible()
    page.set_viewport_size(LAPTOP)


def test_every_docs_page_reads_on_a_laptop_and_a_phone(user, built_docs):
    """Follow Next from the first page to the last: every page checks out.

    The first page, and each example's first page with code and shell tabs
    (or else with code), are pictured at both widths.
    """
    reader = user("reader")
    page = reader.page
    page.set_viewport_size(LAPTOP)
    path: str | None = "/docs/index.html"
    seen: list[str] = []
    with_code: dict[str, str] = {}
    with_tabs: dict[str, str] = {}
    while path:
        assert path not in seen, f"Next leads back to {path}: {seen}"
        reader.visit(path)
        # Code looks the same on every page: axe checks its colours once.
        reader.check(axe_exclude=("div.highlight",) if with_code else ())
        seen.append(path)
        if len(seen) > 1:
            expect(page.locator("a.prev-page")).to_be_visible()
        assert_code_fits(page)
        on_a_phone(page)
        chapter = path.split("/")[2]
        if page.locator("div.highlight").count():
            expect(page.locator("button.copybtn").first).to_be_attached()
            with_code.setdefault(chapter, path)
            if page.locator(".tab-set").count():
                with_tabs.setdefault(chapter, path)
        path = next_page(page)

    pages = {
        "/docs/" + built.relative_to(BUILT).as_posix()
        for built in BUILT.rglob("*.html")
        if built.name not in {"search.html", "genindex.html"}
    }
    assert sorted(pages - set(seen)) == [], "pages Next never reaches"
    pictured = ["/docs/index.html"]  # the first page, with shell tabs
    for chapter in CHAPTERS:
        assert chapter in with_code, f"the {chapter} chapter shows no code"
        pictured.append(with_tabs.get(chapter, with_code[chapter]))
    for path in pictured:
        reader.visit(path)
        name = path.removeprefix("/docs/").removesuffix(".html")
        picture(reader, name.replace("/", "-"))
        reader.check()


def test_shell_tabs_switch_together(user, built_docs):
    """Choosing Windows PowerShell shows its command; the others hide."""
    reader = user("reader")
    page = reader.visit("/docs/index.html")
    reader.check()
    tabs = page.locator(".tab-set").first
    shown = tabs.locator(".tab-content pre").filter(visible=True)
    expect(shown).to_have_text("$ python3 run.py -s serve")
    tabs.get_by_text("Windows PowerShell", exact=True).click()
    expect(tabs.locator("input:checked + label")).to_have_text(
        "Windows PowerShell"
    )
    expect(shown).to_have_text("PS> py run.py -s serve")
    reader.check()


def test_search_finds_a_page(user, built_docs):
    """The search box works offline: "blueprint" finds the flaskr pages."""
    reader = user("reader")
    page = reader.visit("/docs/search.html?q=blueprint")
    results = page.locator("#search-results li a")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results.filter(has_text="flaskr").first).to_be_attached()
    reader.check()
