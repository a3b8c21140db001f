"""Tests of the docs' own tools: prose_stats, check_site, code_rules and
api_links.

``nox -s docs`` runs them (``pytest docs/test_doc_tools.py``).
"""

from __future__ import annotations

from pathlib import Path

import api_links
import check_site
import code_rules
import prose_stats
from docutils import nodes
from docutils.core import publish_doctree
from prose_stats import Figures, measure, split_sentences

# -- prose_stats -------------------------------------------------------------


def test_a_paragraph_splits_at_full_stops_question_and_exclamation_marks():
    text = "Run it. Does it work?\nYes! Then   commit."
    assert split_sentences(text) == [
        "Run it.",
        "Does it work?",
        "Yes!",
        "Then commit.",
    ]


def test_abbreviations_dots_in_code_and_ellipses_do_not_end_a_sentence():
    text = (
        "Use a tool, e.g. pytest. Open flaskr/db.py now. "
        "Call url_for(... ) and wait... then go."
    )
    assert split_sentences(text) == [
        "Use a tool, e.g. pytest.",
        "Open flaskr/db.py now.",
        "Call url_for(... ) and wait... then go.",
    ]


def test_a_closing_quote_or_bracket_stays_with_its_sentence():
    assert split_sentences('He said "stop." (Then left.) Fine.') == [
        'He said "stop."',
        "(Then left.)",
        "Fine.",
    ]


def test_words_are_counted_without_lone_punctuation():
    figures = measure(["Run -- the app = now."])
    assert (figures.sentences, figures.words) == (1, 4)


def test_long_sentences_are_those_over_35_words():
    exactly_35 = " ".join(["word"] * 35) + "."
    thirty_six = " ".join(["word"] * 36) + "."
    figures = measure([exactly_35, thirty_six, "Short one."])
    assert figures.long_sentences == 1
    assert round(figures.long_percent, 1) == 33.3


def test_only_colons_that_introduce_something_are_counted():
    figures = measure(["Open 127.0.0.1:5000: it shows the app."])
    assert figures.colons == 1
    assert figures.colons_per_100_words == 100 / 6


def test_targets_are_an_average_of_17_and_3_percent_long():
    assert Figures(sentences=10, words=170).meets_targets
    assert not Figures(sentences=10, words=171).meets_targets
    many = Figures(sentences=100, words=1000, long_sentences=4)
    assert not many.meets_targets


def test_no_prose_gives_zeros_not_a_division_error():
    empty = measure([])
    assert (empty.average, empty.long_percent) == (0.0, 0.0)
    assert empty.colons_per_100_words == 0.0


def test_report_lists_each_chapter_and_the_total():
    table = prose_stats.report(
        {
            "hello": measure(["One two three."]),
            "flaskr": measure([" ".join(["w"] * 40) + "."]),
        }
    )
    lines = table.splitlines()
    assert lines[2].split() == ["flaskr", "1", "40.0", "100.0", "0.0", "NO"]
    assert lines[3].split() == ["hello", "1", "3.0", "0.0", "0.0", "yes"]
    assert lines[4].split() == ["ALL", "2", "21.5", "50.0", "0.0", "NO"]


def test_chapter_is_the_folder_or_the_page():
    assert prose_stats.chapter_of("flaskr/views") == "flaskr"
    assert prose_stats.chapter_of("running") == "running"


def test_prose_paragraphs_leave_out_code_tables_and_comments():
    from docutils.core import publish_doctree

    doctree = publish_doctree(
        "A paragraph with ``code``.\n\n"
        "::\n\n   not prose\n\n"
        ".. a comment\n\n"
        "- a list item\n\n"
        "=====  =====\n"
        "cell   cell\n"
        "=====  =====\n"
    )
    assert prose_stats.prose_paragraphs(doctree) == [
        "A paragraph with code.",
        "a list item",
    ]


# -- check_site --------------------------------------------------------------


#: A link to each API reference, as every built page of the site has some.
REFERENCE_LINKS = "".join(
    f'<a href="https://{site}/api/">{name}</a>'
    for site, name in check_site.REFERENCES.items()
)


def write_site(
    root: Path, pages: dict[str, str], links: str = REFERENCE_LINKS
) -> Path:
    """Write a small built site: ``{"path.html": "<body html>"}``, each
    page with ``links`` (by default one to each API reference)."""
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        html = f"<html><body>{links}{body}</body></html>"
        path.write_text(html, encoding="utf-8")
    return root


def test_a_clean_site_has_no_problems(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="guide/page.html#step">Go</a>'
            '<a href="https://flask.palletsprojects.com/">Flask</a>'
            '<script src="_static/app.js"></script>'
            "<pre>" + "x" * 79 + "</pre>",
            "guide/page.html": '<h2 id="step">Step</h2><a href="../">Up</a>'
            '<a href="#step">Here</a>',
            "_static/app.js": "",
        },
    )
    assert check_site.check_site(site) == []


def test_a_missing_page_or_anchor_is_a_problem(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="gone.html">Gone</a>'
            '<a href="other.html#nowhere">Nowhere</a>'
            '<img src="_static/missing.png" alt="">',
            "other.html": '<p id="here">Here</p>',
        },
    )
    assert check_site.check_site(site) == [
        "index.html: link to gone.html: no such file",
        "index.html: link to other.html#nowhere: no #nowhere on that page",
        "index.html: link to _static/missing.png: no such file",
    ]


def test_loading_from_another_site_is_a_problem(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<link rel="stylesheet" href="https://fonts.x/f.css">'
            '<script src="//cdn.x/app.js"></script>'
        },
    )
    assert check_site.check_site(site) == [
        "index.html: <link> loads https://fonts.x/f.css from another site",
        "index.html: <script> loads //cdn.x/app.js from another site",
    ]


def test_inline_code_the_csp_blocks_is_a_problem(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": "<script>alert(1)</script><style>p{}</style>"
            '<img src="data:," style="width: 90%" onclick="go()" alt="">'
        },
    )
    assert check_site.check_site(site) == [
        "index.html: inline <script> without src",
        "index.html: inline <style> element",
        'index.html: inline style="" on <img>'
        " (drop :width:, :height: or :scale: from the image or figure)",
        'index.html: inline onclick="" on <img>',
    ]


def test_a_code_line_over_79_columns_is_a_problem(tmp_path):
    line = "y" * 80
    site = write_site(tmp_path, {"index.html": f"<pre>ok\n{line}</pre>"})
    assert check_site.check_site(site) == [
        f"index.html: code line of 80 columns: {'y' * 60}"
    ]


def test_a_portal_link_outside_its_mounts_is_a_problem(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="http://127.0.0.1:5000">Portal</a>'
            '<a href="http://127.0.0.1:5000/">Portal</a>'
            '<a href="http://127.0.0.1:5000/hello/about">About</a>'
            '<a href="http://127.0.0.1:5000/flaskr/?page=2">Page 2</a>'
            '<a href="http://127.0.0.1:5000/minitwit/public">Public</a>'
            '<a href="http://127.0.0.1:5000/docs/index.html">Docs</a>'
            '<a href="http://127.0.0.1:8080/about">Waitress</a>'
            '<a href="http://127.0.0.1:5000/about">Alone</a>'
            '<a href="http://localhost:5000/public?x=1">Alone</a>'
            '<a href="http://127.0.0.1:5000/hellothere">Alone</a>'
        },
    )
    advice = "404 in the portal (start the path with the example's name"
    assert check_site.check_site(site) == [
        f"index.html: link to http://127.0.0.1:5000/about: {advice}"
        ", e.g. /hello/about)",
        f"index.html: link to http://localhost:5000/public?x=1: {advice}"
        ", e.g. /hello/about)",
        f"index.html: link to http://127.0.0.1:5000/hellothere: {advice}"
        ", e.g. /hello/about)",
    ]


def test_main_reports_and_fails_on_problems(tmp_path, capsys):
    write_site(tmp_path, {"index.html": "<style></style>"})
    assert check_site.main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "index.html: inline <style> element",
        "Links to the API references: Flask 1, Werkzeug 1, Jinja 1, "
        "Flask-Login 1, Flask-WTF 1, SQLAlchemy 1",
        "1 pages checked, 1 problem(s).",
    ]
    write_site(tmp_path, {"index.html": "<p>Fine.</p>"})
    assert check_site.main([str(tmp_path)]) == 0


def test_a_site_without_links_to_an_api_reference_is_a_problem(tmp_path):
    flask = '<a href="https://flask.palletsprojects.com/en/stable/">F</a>'
    site = write_site(tmp_path, {"index.html": "<p>Hi</p>"}, links=flask)
    problems = check_site.check_site(site)
    assert [problem.split(":")[0] for problem in problems] == [
        f"no link to the {name} reference"
        for name in ("Werkzeug", "Jinja", "Flask-Login", "Flask-WTF")
    ] + ["no link to the SQLAlchemy reference"]


def shell_block(commands: str, language: str = "console") -> str:
    """A shell session as Sphinx writes it."""
    return (
        f'<div class="highlight-{language} notranslate">'
        f'<div class="highlight"><pre>{commands}</pre></div></div>'
    )


def tab_set(*tabs: tuple[str, str]) -> str:
    """A tab set of sphinx-inline-tabs: (label, content) per tab."""
    return (
        '<div class="tab-set docutils container">'
        + "".join(
            f'<input class="tab-input" type="radio">'
            f'<label class="tab-label">{label}</label>'
            f'<div class="tab-content docutils container">{content}</div>'
            for label, content in tabs
        )
        + "</div>"
    )


def test_posix_only_commands_need_a_windows_tab(tmp_path):
    lines = [
        "$ . .venv/bin/activate",
        "$ source .venv/bin/activate",
        "$ export FLASK_DEBUG=1",
        "$ cd ~/my-hello",
        "$ python3 run.py",
        "$ pip install -e '.[test]'",
        "$ pytest    # the fast tests",
        "$ waitress-serve \\",
    ]
    site = write_site(
        tmp_path, {"index.html": "".join(map(shell_block, lines))}
    )
    advice = (
        " (add the tabs, or :class: posix-only on a block for a Linux server)"
    )
    assert check_site.check_site(site) == [
        "index.html: a command for Linux and macOS only, without a Windows "
        f"tab: {line}{advice}"
        for line in lines
    ]


def test_posix_commands_pass_beside_a_windows_tab_or_on_a_server(tmp_path):
    activate = shell_block("$ . .venv/bin/activate\n$ pytest")
    site = write_site(
        tmp_path,
        {
            "index.html": tab_set(
                ("Linux and macOS", activate),
                ("Windows cmd", shell_block("> .venv\\Scripts\\activate")),
            )
            + activate.replace(
                "highlight-console", "posix-only highlight-console"
            )
            + shell_block("$ pytest\n$ flask --app hello run")
            + shell_block("$ export X=1", language="python"),
            "linux.html": tab_set(("Linux and macOS", activate)),
        },
    )
    assert check_site.check_site(site) == [
        "linux.html: a command for Linux and macOS only, without a Windows "
        "tab: $ . .venv/bin/activate (add the tabs, or :class: posix-only "
        "on a block for a Linux server)"
    ]


def test_main_says_when_the_site_is_not_built(tmp_path, capsys):
    assert check_site.main([str(tmp_path / "nothing")]) == 1
    assert "not built: run nox -s docs" in capsys.readouterr().out


# -- code_rules --------------------------------------------------------------


def included(path: str, caption: str | None) -> nodes.literal_block:
    """A block as literalinclude makes it, captioned or not."""
    block = nodes.literal_block("x = 1", "x = 1", source=path)
    if caption is None:
        return block
    container = nodes.container("", literal_block=True)
    container += nodes.caption(caption, caption)
    container += block
    return block


def test_an_included_block_is_captioned_with_its_path_in_the_example():
    path = str(code_rules.REPO_ROOT / "examples/flaskr/flaskr/db.py")
    assert code_rules.problem_with(included(path, "flaskr/db.py")) is None
    assert (
        code_rules.problem_with(included(path, "flaskr/db.py, get_db()"))
        is None
    )
    expected = "an included block needs :caption: flaskr/db.py"
    assert code_rules.problem_with(included(path, None)) == expected
    assert code_rules.problem_with(included(path, "db.py")) == expected


def test_a_file_outside_the_examples_is_captioned_from_the_repository():
    path = str(code_rules.REPO_ROOT / "noxfile.py")
    assert code_rules.problem_with(included(path, "noxfile.py")) is None


def test_a_file_outside_the_repository_is_captioned_with_its_name():
    block = included("/elsewhere/settings.py", "settings.py")
    assert code_rules.problem_with(block) is None


def test_only_shell_sessions_may_be_written_in_the_page():
    for language in ("console", "ps1con", "doscon"):
        block = nodes.literal_block("$ flask run", "$ flask run")
        block["language"] = language
        assert code_rules.problem_with(block) is None
    for language in ("python", None):
        block = nodes.literal_block("x = 1", "x = 1")
        if language:
            block["language"] = language
        assert "code pasted into the page" in code_rules.problem_with(block)


# -- api_links ---------------------------------------------------------------


def test_an_api_name_links_to_its_reference_called_or_indexed_or_not():
    target = api_links.target_of
    assert target("url_for", "hello/routes") == "py:flask.url_for"
    assert target('url_for("index")', "hello/routes") == "py:flask.url_for"
    assert target('session["user_id"]', "x") == "py:flask.session"
    assert target("Mapped[str]", "x") == "py:sqlalchemy.orm.Mapped"
    assert target("|safe", "x") == "py:jinja-filters.safe"
    assert target("{% for %}", "x") == "std:for-loop"


def test_other_code_and_a_field_named_like_a_function_stay_text():
    target = api_links.target_of
    assert target("csrf_token", "hello/forms") is None
    assert target("csrf_token()", "hello/forms") == (
        "py:flask_wtf.csrf.generate_csrf"
    )
    assert target("session.modified = True", "x") is None
    assert target("profile.messages.select()", "x") is None
    assert target("flask --app hello run", "x") is None


def test_names_of_minitwit_link_only_on_its_pages():
    target = api_links.target_of
    assert target("@login_required", "flaskr/views") is None
    assert target("commit()", "flaskr/database") is None
    assert target("@login_required", "minitwit/posting") == (
        "py:flask_login.login_required"
    )
    assert target("commit()", "instructors/minitwit") == (
        "py:sqlalchemy.orm.Session.commit"
    )


def linked_targets(rst: str, docname: str = "hello/page") -> list[str]:
    """The targets api_links gives the inline literals of ``rst``."""
    document = publish_doctree(rst)
    api_links.link_api_names(document, docname)
    return [xref["reftarget"] for xref in document.findall(xref_node)]


def xref_node(node: nodes.Node) -> bool:
    """Tell whether a node is a reference Sphinx will resolve."""
    return node.tagname == "pending_xref"


def test_the_first_use_per_section_is_linked_not_titles_nor_links():
    rst = """
Using ``url_for``
=================

``url_for`` and ``redirect``, then ``url_for`` again and `a link
<https://example.org>`_.

Section
-------

``url_for`` here too, and ``url_for("index")`` is the same name.
"""
    assert linked_targets(rst) == [
        "flask.url_for",
        "flask.redirect",
        "flask.url_for",
    ]


def test_every_target_is_in_an_inventory_kept_in_the_repository():
    inventory: dict[str, dict[str, object]] = {}
    for text in sorted(api_links.INVENTORIES.glob("*.txt")):
        for line in text.read_text(encoding="utf-8").splitlines()[4:]:
            name, kind = line.split()[:2]
            inventory.setdefault(kind, {})[name] = line
    assert api_links.missing_targets(inventory) == []
    assert api_links.missing_targets({}) != []


def test_each_inventory_holds_the_entries_its_text_lists():
    for text in sorted(api_links.INVENTORIES.glob("*.txt")):
        inv = text.with_suffix(".inv").read_bytes()
        lines = text.read_text(encoding="utf-8").splitlines()
        assert inv.splitlines()[:3] == [x.encode() for x in lines[:3]]
        assert set(lines[4:]) <= api_links.inventory_entries(inv), text.name


def test_compiled_inventories_read_back_as_sphinx_reads_them():
    from sphinx.util.inventory import InventoryFile

    text = (api_links.INVENTORIES / "jinja.txt").read_text(encoding="utf-8")
    data = api_links.compile_inventory(text)
    inventory = InventoryFile.loads(data, uri="https://jinja.example/")
    assert "extends" in inventory.data["std:label"]
