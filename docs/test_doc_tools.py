"""Tests of the docs' own tools: prose_stats, check_site and code_rules.

``nox -s docs`` runs them (``pytest docs/test_doc_tools.py``).
"""

from __future__ import annotations

from pathlib import Path

import check_site
import code_rules
import prose_stats
from docutils import nodes
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


def write_site(root: Path, pages: dict[str, str]) -> Path:
    """Write a small built site: ``{"path.html": "<body html>"}``."""
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
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
        "1 pages checked, 1 problem(s).",
    ]
    write_site(tmp_path, {"index.html": "<p>Fine.</p>"})
    assert check_site.main([str(tmp_path)]) == 0


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
