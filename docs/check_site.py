r"""Check the built docs work offline under the portal's strict CSP.

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
- a shell command only Linux and macOS understand (``. .venv/bin/activate``,
  ``export``, ``~/``, ``python3``, ``'.[test]'``, a ``\`` or ``#`` at the
  end of a command) outside a tab set with a Windows tab, unless the block
  says it is for a Linux server alone (``:class: posix-only``);
- no link at all to the reference docs of one of Flask, Werkzeug, Jinja,
  Flask-Login, Flask-WTF and SQLAlchemy (``docs/api_links.py`` makes them).

Links *to* other sites (``<a href="https://...">``) are fine and are not
followed: the check runs offline.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
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
#: The reference sites API names link to, by the name the report uses.
REFERENCES = {
    "flask.palletsprojects.com": "Flask",
    "werkzeug.palletsprojects.com": "Werkzeug",
    "jinja.palletsprojects.com": "Jinja",
    "flask-login.readthedocs.io": "Flask-Login",
    "flask-wtf.readthedocs.io": "Flask-WTF",
    "docs.sqlalchemy.org": "SQLAlchemy",
}
#: The classes of a shell session typed on Linux or macOS.
POSIX_SHELLS = {"highlight-console", "highlight-shell-session"}
#: What cmd or PowerShell do not understand, in a POSIX shell session.
POSIX_ONLY = re.compile(
    r"(?:^|\s)(?:\. \S*/bin/activate|source |export )"
    r"|~/|(?:^|\s)python3 |'\.\[[\w,-]+\]'"
    r"|\S\s+#\s|\s\\$",
    re.MULTILINE,
)
#: The class of a block meant for a Linux server only.
POSIX_ONLY_CLASS = "posix-only"


@dataclass
class Page:
    """What one built page holds: its ids, its links, its CSP problems."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: How many links the page has to each reference site (REFERENCES).
    references: Counter[str] = field(default_factory=Counter)


@dataclass
class Block:
    """An open ``<div>``: a tab set's labels and POSIX-only commands."""

    tab_set: bool = False
    posix_shell: bool = False
    #: A listing that wraps its long lines (a template's, shown by
    #: docs/step_files.py), so none is hidden.
    wraps: bool = False
    labels: list[str] = field(default_factory=list)
    posix_commands: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    """Collect a page's ids, links and inline code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        #: The text of the ``<pre>`` being read, or None outside one.
        self.code: list[str] | None = None
        #: The ``<div>`` elements open around the point being read.
        self.divs: list[Block] = []
        #: The text of the tab label being read, or None outside one.
        self.label: list[str] | None = None

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
        if tag == "pre":
            self.code = []
        if tag == "div":
            classes = set((values.get("class") or "").split())
            self.divs.append(
                Block(
                    tab_set="tab-set" in classes,
                    posix_shell=bool(classes & POSIX_SHELLS)
                    and POSIX_ONLY_CLASS not in classes,
                    wraps="wrap-long-lines" in classes,
                )
            )
        if tag == "label" and "tab-label" in (values.get("class") or ""):
            self.label = []
        href = values.get("href") or ""
        if tag == "a" and urlsplit(href).netloc in REFERENCES:
            page.references[REFERENCES[urlsplit(href).netloc]] += 1
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
        if self.label is not None:
            self.label.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close a code block, a tab label or a ``<div>``."""
        if tag == "pre" and self.code is not None:
            self.end_code("".join(self.code))
            self.code = None
        elif tag == "label" and self.label is not None:
            tab_sets = [div for div in self.divs if div.tab_set]
            if tab_sets:
                tab_sets[-1].labels.append("".join(self.label))
            self.label = None
        elif tag == "div" and self.divs:
            self.end_div(self.divs.pop())

    def end_code(self, code: str) -> None:
        """Report a code block's long lines and its first POSIX-only
        command, if any.

        Such a command is fine in a tab set with a Windows tab; that tab
        comes after it, so ``end_div`` decides.
        """
        wraps = any(div.wraps for div in self.divs)
        for line in code.splitlines():
            if len(line) > MAX_CODE_COLUMNS and not wraps:
                self.page.problems.append(
                    f"code line of {len(line)} columns: {line.strip()[:60]}"
                )
        if not any(div.posix_shell for div in self.divs):
            return
        commands = [
            line.strip()[:60]
            for line in code.splitlines()
            if POSIX_ONLY.search(line)
        ]
        if not commands:
            return
        tab_sets = [div for div in self.divs if div.tab_set]
        if tab_sets:
            tab_sets[-1].posix_commands.append(commands[0])
        else:
            self.page.problems.append(no_windows_tab(commands[0]))

    def end_div(self, div: Block) -> None:
        """At the end of a tab set without a Windows tab, report its
        POSIX-only commands."""
        if div.tab_set and not any("Windows" in x for x in div.labels):
            self.page.problems.extend(map(no_windows_tab, div.posix_commands))


def no_windows_tab(command: str) -> str:
    """The problem of a POSIX-only command without a Windows tab."""
    return (
        f"a command for Linux and macOS only, without a Windows tab: "
        f"{command} (add the tabs, or :class: {POSIX_ONLY_CLASS} on a "
        "block for a Linux server)"
    )


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
    problems.extend(missing_references(pages.values()))
    return problems


def missing_references(pages: Iterable[Page]) -> list[str]:
    """A problem for each reference site no page links to."""
    links = reference_links(pages)
    return [
        f"no link to the {name} reference: docs/api_links.py links the API "
        "names it knows"
        for name in REFERENCES.values()
        if not links[name]
    ]


def reference_links(pages: Iterable[Page]) -> Counter[str]:
    """How many links the pages have to each reference site."""
    return sum((page.references for page in pages), Counter())


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
    pages = [read_page(path) for path in root.rglob("*.html")]
    links = reference_links(pages)
    if links:
        counts = (f"{name} {links[name]}" for name in REFERENCES.values())
        print("Links to the API references: " + ", ".join(counts))
    print(f"{len(pages)} pages checked, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
