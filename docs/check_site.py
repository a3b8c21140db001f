"""Check the built docs work offline under the portal's strict CSP.

``python docs/check_site.py [docs/_build/html]`` reads every built page and
fails (exit 1) with one line per problem:

- a link or picture inside the site whose file or ``#anchor`` is missing;
- anything loaded from another site (a script, style sheet, picture...);
- inline code the Content-Security-Policy blocks: a ``<script>`` without
  ``src``, a ``<style>`` element, a ``style=""`` or ``on...=""`` attribute;
- a line of a code block longer than 79 characters: the examples' code is
  formatted to 79 columns, and the theme's column shows about 90 at 1280
  pixels, so such a line is pasted or too long;
- a link into the portal (``http://127.0.0.1:5000/...``) that the portal
  answers with 404: it mounts each example under its name (``/hello/``,
  ``/flaskr/``, ``/minitwit/``) and the docs under ``/docs/``, so a path of
  an example run alone (``/about``) must carry its example's name.

Links *to* other sites (``<a href="https://...">``) are fine and are not
followed: the check runs offline.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes that make the browser load something, per element.
LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "link": "href",
}
#: Where a ``style=""`` the CSP blocks comes from, in the rst.
STYLE_HINTS = {
    "img": " (drop :width:, :height: or :scale: from the image or figure)",
    "col": " (drop :widths: from the table)",
}
#: The longest code line the content column shows without scrolling.
MAX_CODE_COLUMNS = 79
#: Where ``python3 run.py -s serve`` serves the portal.
PORTAL_HOSTS = {"127.0.0.1:5000", "localhost:5000"}
#: The first part of every path the portal serves: an example's name, or
#: the docs (each example is a folder of examples/ with a pyproject.toml).
PORTAL_MOUNTS = {"docs"} | {
    folder.name
    for folder in (Path(__file__).parent.parent / "examples").glob("*")
    if (folder / "pyproject.toml").is_file()
}


@dataclass
class Page:
    """What one built page holds: its ids, its links, its CSP problems."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    """Collect a page's ids, links and inline code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        #: The text of the ``<pre>`` being read, or None outside one.
        self.code: list[str] | None = None
        #: Whether the next ``<pre>`` wraps its long lines (step listings
        #: of templates: docs/step_files.py), so none is hidden.
        self.wraps = False

    def handle_starttag(self, tag: str, attrs) -> None:
        """Note the ids, links and inline code of one tag."""
        values = dict(attrs)
        page = self.page
        if values.get("id"):
            page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            page.ids.add(values["name"])
        for name in values:
            if name == "style" or name.startswith("on"):
                hint = STYLE_HINTS.get(tag, "") if name == "style" else ""
                page.problems.append(f'inline {name}="" on <{tag}>{hint}')
        if tag == "style":
            page.problems.append("inline <style> element")
        if tag == "script" and not values.get("src"):
            page.problems.append("inline <script> without src")
        if tag == "div" and "wrap-long-lines" in (values.get("class") or ""):
            self.wraps = True
        if tag == "pre":
            self.code = []
        loaded = values.get(LOADING.get(tag, ""))
        if loaded and loads_from_another_site(loaded):
            page.problems.append(f"<{tag}> loads {loaded} from another site")
        elif tag in {"a", "img", "link", "script"}:
            target = values.get("href") or values.get("src")
            if target and is_internal(target):
                page.links.append(target)
            elif target and not in_the_portal(target):
                page.problems.append(
                    f"link to {target}: 404 in the portal (start the path "
                    "with the example's name, e.g. /hello/about)"
                )

    def handle_data(self, data: str) -> None:
        """Keep the text of a code block."""
        if self.code is not None:
            self.code.append(data)

    def handle_endtag(self, tag: str) -> None:
        """At the end of a code block, report its lines that are too long."""
        if tag != "pre" or self.code is None:
            return
        for line in "".join(self.code).splitlines():
            if len(line) > MAX_CODE_COLUMNS and not self.wraps:
                self.page.problems.append(
                    f"code line of {len(line)} columns: {line.strip()[:60]}"
                )
        self.code = None
        self.wraps = False


def is_internal(url: str) -> bool:
    """Tell whether ``url`` stays inside the site (a relative URL)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def in_the_portal(url: str) -> bool:
    """Tell whether the portal serves ``url``, if it is one of its links.

    The landing page (``/``) and every path under an example's name or
    ``/docs/`` are; links to other sites are not the portal's and pass.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc not in (
        PORTAL_HOSTS
    ):
        return True
    first = parts.path.strip("/").split("/")[0]
    return first == "" or first in PORTAL_MOUNTS


def loads_from_another_site(url: str) -> bool:
    """Tell whether loading ``url`` reaches another site (``data:``: no)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in {"", "data"}


def read_page(path: Path) -> Page:
    """Parse one built page."""
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def check_site(root: Path) -> list[str]:
    """Every problem of the site built in ``root``, as readable lines."""
    pages = {path: read_page(path) for path in sorted(root.rglob("*.html"))}
    problems: list[str] = []
    for path, page in pages.items():
        name = path.relative_to(root).as_posix()
        problems.extend(f"{name}: {problem}" for problem in page.problems)
        for link in page.links:
            problem = broken_link(path, link, pages)
            if problem:
                problems.append(f"{name}: {problem}")
    return problems


def broken_link(page: Path, link: str, pages: dict[Path, Page]) -> str:
    """Say what is wrong with an internal ``link`` of ``page``, or ""."""
    parts = urlsplit(link)
    target = page
    if parts.path:
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return f"link to {link}: no such file"
    anchor = unquote(parts.fragment)
    if anchor and target in pages and anchor not in pages[target].ids:
        return f"link to {link}: no #{anchor} on that page"
    return ""


def main(argv: list[str]) -> int:
    """Check the site in the folder given (default: docs/_build/html)."""
    default = Path(__file__).parent / "_build" / "html"
    root = (Path(argv[0]) if argv else default).resolve()
    if not root.is_dir():
        print(f"{root} is not built: run nox -s docs first.")
        return 1
    problems = check_site(root)
    for problem in problems:
        print(problem)
    pages = len(list(root.rglob("*.html")))
    print(f"{pages} pages checked, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
