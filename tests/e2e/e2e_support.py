"""What every browser journey shares: a user with a tab, and the page checks.

A journey test asks the ``user`` fixture (see ``conftest.py``) for a
:class:`Visitor`: one browser context (its own cookies, like a separate person)
with one tab. The visitor watches everything the tab does and
:meth:`Visitor.check` runs the quality checks on the page it is showing:

- axe-core finds zero WCAG 2.1 A/AA violations;
- the page has exactly one ``<h1>``;
- nothing went wrong since the last check: no console error, no uncaught
  script error, no failed request, no request to a host other than
  127.0.0.1, no Content-Security-Policy header missing from a page, no CSP
  violation, no ``alert()`` dialog (the XSS probe's canary).

Every page the tab shows must be checked: a journey that navigates twice
without a check in between, or ends on an unchecked page, fails.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import (  # type: ignore[import-untyped]  # no hints
    Axe,
)
from PIL import Image, ImageChops, ImageDraw
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Error,
    Locator,
    Page,
    Request,
    Response,
    Route,
    expect,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Every screenshot and failure picture of a run: CI uploads this folder.
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "e2e"
#: The same key-page screenshots, for the docs to ``.. image::``; written
#: only by ``nox -s screenshots`` (``pytest --update-screenshots``).
DOCS_SCREENSHOTS_DIR = REPO_ROOT / "docs" / "_static" / "screenshots"
#: What changes on every run without the page looking different: times, and
#: avatars (drawn from the run's random secret key).
VOLATILE = "time, img.avatar"
#: Page coordinates (left, top, right, bottom) of the elements a selector
#: matches.
VOLATILE_BOXES_JS = """selector => [...document.querySelectorAll(selector)]
  .map(element => {
    const box = element.getBoundingClientRect();
    return [box.left + scrollX, box.top + scrollY,
            box.right + scrollX, box.bottom + scrollY];
  })"""
#: Pixels that may differ outside those elements: the renderer is not exact.
STRAY_PIXELS = 64


@functools.cache
def docs_pictures() -> frozenset[str]:
    """The names of the screenshots that a docs page shows."""
    used = re.compile(r"_static/screenshots/([\w-]+)\.png")
    return frozenset(
        name
        for page in (REPO_ROOT / "docs").rglob("*.rst")
        for name in used.findall(page.read_text(encoding="utf-8"))
    )


def looks_the_same(
    old_png: bytes, new_png: bytes, volatile: list[list[float]]
) -> bool:
    """Tell whether two pictures differ only inside the ``volatile`` boxes.

    A new picture of the same size whose other pixels all match the old one
    (but for a few stray ones) shows the same page: keep the old one.
    """
    old, new = (
        Image.open(io.BytesIO(png)).convert("RGB")
        for png in (old_png, new_png)
    )
    if old.size != new.size:
        return False
    changed = (
        ImageChops.difference(old, new)
        .convert("L")
        .point(lambda p: 255 if p > 16 else 0)
    )
    paint = ImageDraw.Draw(changed)
    for left, top, right, bottom in volatile:
        paint.rectangle((left - 4, top - 4, right + 4, bottom + 4), fill=0)
    return changed.histogram()[255] <= STRAY_PIXELS


#: The WCAG 2.1 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: What a journey types wherever a user can enter text: if the app ever
#: renders it as HTML instead of text, a script tag appears, an image tries to
#: load ``x``, or a dialog opens, and the checks fail.
XSS_PROBE = "<script>alert(1)</script><img src=x onerror=alert(1)>"

#: The only host the browser may talk to.
ALLOWED_HOST = "127.0.0.1"

_axe = Axe()


def is_local(url: str) -> bool:
    """Tell whether ``url`` is on the test server's host, or is ``data:``."""
    parts = urlsplit(url)
    return parts.scheme == "data" or (
        parts.scheme in {"http", "https"} and parts.hostname == ALLOWED_HOST
    )


def format_axe_violations(url: str, violations: list[dict]) -> str:
    """Describe axe-core violations the way a person fixing them reads them."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}):"
            f" {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"       {line}" for line in summary.splitlines())
    return "\n".join(lines)


@dataclass(repr=False)
class Visitor:
    """One person using the showcase in a browser: a context with one tab.

    ``base_url`` is the live server's root, e.g. ``http://127.0.0.1:41234``.
    """

    context: BrowserContext
    base_url: str
    name: str
    page: Page = field(init=False)
    problems: list[str] = field(default_factory=list)
    #: URLs the tab showed that :meth:`check` has not looked at yet.
    unchecked: list[str] = field(default_factory=list)
    #: URLs whose error status (404, 400...) the journey expects right now.
    expected_errors: set[str] = field(default_factory=set)
    #: Every URL the journey ever expected an error from (a 500 may be on
    #: purpose).
    allowed_crashes: set[str] = field(default_factory=set)
    screenshots: list[Path] = field(default_factory=list)
    #: Also save key-page screenshots into the docs (``--update-screenshots``).
    update_docs_screenshots: bool = False
    #: The one dialog the journey expects the app to open now, and those it
    #: accepted.
    expected_dialog: str | None = None
    accepted_dialogs: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Visitor {self.name!r} on {self.page.url}>"

    def __post_init__(self) -> None:
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        page = self.page
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on(
            "pageerror",
            lambda error: self.problems.append(f"script error: {error}"),
        )
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)
        page.on("framenavigated", self._on_navigated)
        # Reports CSP violations that never reach the console; the listener is
        # added by Playwright, so the page's own CSP does not stop it.
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', (event) => {"
            "  window.__cspViolations.push("
            "    event.violatedDirective + ' blocked '"
            "    + (event.blockedURI || 'inline code'));"
            "});"
        )

    # -- watching the tab -------------------------------------------------

    def _only_local(self, route: Route) -> None:
        """Let requests to the test server through; block all others."""
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _on_request(self, request: Request) -> None:
        """Report any request to another host, even one a redirect leads to.

        (The browser follows redirects without asking the route handler, so
        this listener, not :meth:`_only_local`, is what sees every request.)
        """
        if not is_local(request.url):
            self.problems.append(
                f"request to another host: {request.method} {request.url}"
            )

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        url = message.location.get("url", "")
        if "Content Security Policy" in text:
            self.problems.append(f"CSP violation: {text}")
        elif message.type == "error":
            if (
                text.startswith("Failed to load resource")
                and url in self.expected_errors
            ):
                return  # the journey asked for this error page on purpose
            self.problems.append(f"console error: {text} ({url})")
        elif text.startswith(
            "Refused to"
        ):  # the browser blocked something, as a warning
            self.problems.append(f"browser refused: {text} ({url})")

    def _on_request_failed(self, request: Request) -> None:
        if not is_local(request.url):
            return  # already reported by _on_request
        self.problems.append(
            f"request failed: {request.method} {request.url}:"
            f" {request.failure}"
        )

    def _on_response(self, response: Response) -> None:
        request = response.request
        is_page = request.resource_type == "document"
        if response.status >= 400 and response.url not in self.expected_errors:
            kind = "page" if is_page else request.resource_type
            self.problems.append(
                f"HTTP {response.status} for {kind} {request.method}"
                f" {response.url}"
            )
        is_redirect = 300 <= response.status < 400
        if (
            is_page
            and not is_redirect
            and not response.header_value("content-security-policy")
        ):
            self.problems.append(
                f"no Content-Security-Policy header on {response.url}"
            )

    def _on_dialog(self, dialog: Dialog) -> None:
        if dialog.type == "confirm" and dialog.message == self.expected_dialog:
            self.expected_dialog = None
            self.accepted_dialogs.append(dialog.message)
            dialog.accept()
            return
        self.problems.append(
            f"a {dialog.type} dialog opened: {dialog.message!r}"
            " (script injection?)"
        )
        dialog.dismiss()

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.unchecked.append(frame.url)

    # -- what a journey does --------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on the test server."""
        return self.base_url + path

    def visit(self, path: str, *, status: int = 200) -> Page:
        """Open ``path`` as if typed in the address bar; expect ``status``."""
        url = self.url(path)
        if status >= 400:
            self.expected_errors.add(url)
        if status >= 500:
            self.allowed_crashes.add(url)
        try:
            response = self.page.goto(url)
        except Error as error:
            report = "\n".join(self.problems)
            raise AssertionError(
                f"could not open {url}: {error.message}\n{report}"
            ) from None
        assert response is not None, f"no response for {url}"
        assert response.status == status, (
            f"{url}: expected HTTP {status}, got {response.status}"
        )
        return self.page

    @contextmanager
    def expecting_error(self, path: str) -> Iterator[None]:
        """Within the block, ``path`` may answer with an error.

        (A form sent back with a 400, for example.) Run :meth:`check` inside
        the block, so the browser's report of the error
        status arrives while it is still expected.
        """
        url = self.url(path)
        self.expected_errors.add(url)
        try:
            yield
        finally:
            self.expected_errors.discard(url)

    @contextmanager
    def accepting_confirm(self, message: str) -> Iterator[None]:
        """Within the block, the app asks "``message``" in a confirm: say OK.

        Any other dialog is still a problem. Fails if the question was never
        asked.
        """
        self.expected_dialog = message
        try:
            yield
        finally:
            self.expected_dialog = None
        assert message in self.accepted_dialogs, (
            f"the app never asked {message!r}"
        )

    def follow(self, link: Locator, path: str | re.Pattern[str]) -> Page:
        """Click ``link``; wait for the tab to show ``path`` (or a regex)."""
        link.click()
        self.expect_path(path)
        return self.page

    def expect_path(self, path: str | re.Pattern[str]) -> None:
        """Wait until the tab's URL is ``path`` (with its query string)."""
        if isinstance(path, str):
            expect(self.page).to_have_url(self.url(path))
        else:
            expect(self.page).to_have_url(
                re.compile(re.escape(self.base_url) + path.pattern)
            )

    def check(
        self,
        screenshot: str | None = None,
        *,
        axe_exclude: tuple[str, ...] = (),
    ) -> None:
        """Run every quality check on the page; optionally save a screenshot.

        ``screenshot`` is a name like ``"flaskr-index"``: the full page is
        saved by :meth:`screenshot`. ``axe_exclude`` lists CSS selectors
        axe-core skips, for parts already checked on an earlier page.
        """
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        expect(page.locator("h1"), f"one <h1> on {url}").to_have_count(1)
        page.evaluate(_axe.axe_script)
        results = page.evaluate(
            "([exclude, options]) =>"
            " axe.run(exclude.length ? {exclude} : document, options)",
            [
                [[selector] for selector in axe_exclude],
                {
                    "runOnly": {"type": "tag", "values": WCAG_TAGS},
                    "resultTypes": ["violations"],
                },
            ],
        )
        csp = page.evaluate("window.__cspViolations || []")
        self.problems.extend(f"CSP violation on {url}: {text}" for text in csp)
        report, self.problems = self.problems, []
        skipped, self.unchecked = self.unchecked[:-1], []
        if skipped:
            report.append(
                f"pages shown but never checked before this one: {skipped}"
            )
        if results["violations"]:
            report.append(format_axe_violations(url, results["violations"]))
        assert not report, f"problems on or before {url}:\n" + "\n".join(
            report
        )
        if screenshot:
            self.screenshot(screenshot)

    def screenshot(self, name: str) -> None:
        """Save the whole page as ``test-artifacts/e2e/<name>.png``.

        With ``--update-screenshots`` (``nox -s screenshots``) the picture also
        goes to ``docs/_static/screenshots/<name>.png`` if a docs page shows
        it, and only when the page *looks* different, so times that moved do
        not rewrite a committed picture: see :func:`looks_the_same`. A plain
        test run never writes into ``docs/``.
        """
        image = self.page.screenshot(
            full_page=True, animations="disabled", caret="hide"
        )
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS_DIR / f"{name}.png").write_bytes(image)
        self.screenshots.append(ARTIFACTS_DIR / f"{name}.png")
        if not self.update_docs_screenshots or name not in docs_pictures():
            return
        docs_image = DOCS_SCREENSHOTS_DIR / f"{name}.png"
        volatile = self.page.evaluate(VOLATILE_BOXES_JS, VOLATILE)
        if not docs_image.exists() or not looks_the_same(
            docs_image.read_bytes(), image, volatile
        ):
            DOCS_SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
            docs_image.write_bytes(image)
        self.screenshots.append(docs_image)

    def finish(self) -> None:
        """At a journey's end: last page checked, nothing went wrong since."""
        problems, self.problems = self.problems, []
        assert not problems, "problems after the last check:\n" + "\n".join(
            problems
        )
        assert not self.unchecked, (
            f"pages shown but never checked: {self.unchecked}"
        )

    def expect_text_shown_literally(
        self, locator: Locator, text: str = XSS_PROBE
    ) -> None:
        """Assert ``text`` is shown as text, not run as markup.

        By default ``text`` is the XSS probe.
        """
        expect(locator.filter(has_text=text).first).to_be_visible()
        expect(self.page.locator("main script")).to_have_count(0)
        expect(self.page.locator("img[src='x']")).to_have_count(0)


__all__ = [
    "ARTIFACTS_DIR",
    "DOCS_SCREENSHOTS_DIR",
    "REPO_ROOT",
    "WCAG_TAGS",
    "XSS_PROBE",
    "Visitor",
    "format_axe_violations",
]
