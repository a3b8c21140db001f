"""Measure how easy the docs' prose is to read, per chapter and overall.

The figures, for the prose only (no code, no tables, no titles):

- words per sentence, on average (target: 17 or fewer);
- the share of sentences over 35 words (target: 3 % or less);
- colons per 100 words (fewer colons, fewer ideas per sentence).

As a Sphinx extension (listed in ``conf.py``) it prints the table at the end
of every build, unless ``sphinx-build -q``. On its own,
``python docs/prose_stats.py`` builds nothing to disk and prints the same.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_AVERAGE = 17
LONG_SENTENCE = 35
MAX_LONG_PERCENT = 3

#: Abbreviations whose full stop does not end a sentence, and the ellipsis
#: ("url_for(..., x)"), which mostly stands inside inline code.
ABBREVIATIONS = ("...", "e.g.", "i.e.", "etc.", "vs.", "cf.")
#: Quotes and brackets that may close a sentence, after its full stop.
CLOSERS = "\"')]\u201d\u2019"
#: A sentence ends at . ! or ? (and any closer) + a space.
SENTENCE_END = re.compile(
    rf"(?:(?<=[.!?])|(?<=[.!?][{re.escape(CLOSERS)}]))\s+"
)
#: A word holds at least one letter or digit; "--" or "=" alone is not one.
WORD = re.compile(r"\S*[^\W_]\S*")
#: A colon that introduces something, not one inside "127.0.0.1:5000".
COLON = re.compile(r":(?=\s|$)")


@dataclass
class Figures:
    """What was counted in some prose."""

    sentences: int = 0
    words: int = 0
    long_sentences: int = 0
    colons: int = 0

    def add(self, other: Figures) -> None:
        """Add another count to this one."""
        self.sentences += other.sentences
        self.words += other.words
        self.long_sentences += other.long_sentences
        self.colons += other.colons

    @property
    def average(self) -> float:
        """Words per sentence."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def long_percent(self) -> float:
        """The share of sentences over :data:`LONG_SENTENCE` words, in %."""
        if not self.sentences:
            return 0.0
        return 100 * self.long_sentences / self.sentences

    @property
    def colons_per_100_words(self) -> float:
        """Colons per 100 words."""
        return 100 * self.colons / self.words if self.words else 0.0

    @property
    def meets_targets(self) -> bool:
        """Tell whether the average and the long share are on target."""
        return (
            self.average <= MAX_AVERAGE
            and self.long_percent <= MAX_LONG_PERCENT
        )


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph's text into sentences."""
    text = " ".join(paragraph.split())
    for number, abbreviation in enumerate(ABBREVIATIONS):
        text = text.replace(abbreviation, f"\0{number}\0")
    sentences = []
    for sentence in SENTENCE_END.split(text):
        for number, abbreviation in enumerate(ABBREVIATIONS):
            sentence = sentence.replace(f"\0{number}\0", abbreviation)
        if WORD.search(sentence):
            sentences.append(sentence.strip())
    return sentences


def measure(paragraphs: Iterable[str]) -> Figures:
    """Count sentences, words, long sentences and colons in paragraphs."""
    figures = Figures()
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            words = len(WORD.findall(sentence))
            figures.sentences += 1
            figures.words += words
            figures.long_sentences += words > LONG_SENTENCE
            figures.colons += len(COLON.findall(sentence))
    return figures


def chapter_of(docname: str) -> str:
    """The chapter a page belongs to: its folder, or the page itself."""
    return docname.split("/", 1)[0]


def report(chapters: dict[str, Figures]) -> str:
    """The figures as a table, one line per chapter and one for all."""
    total = Figures()
    for figures in chapters.values():
        total.add(figures)
    header = (
        f"{'chapter':<14}{'sentences':>10}{'words/sent.':>12}"
        f"{'% > 35':>8}{'colons/100w':>12}  on target"
    )
    lines = ["Prose figures (targets: <= 17 words a sentence, <= 3 % over 35)"]
    lines.append(header)
    for name, figures in [*sorted(chapters.items()), ("ALL", total)]:
        lines.append(
            f"{name:<14}{figures.sentences:>10}{figures.average:>12.1f}"
            f"{figures.long_percent:>8.1f}"
            f"{figures.colons_per_100_words:>12.1f}"
            f"  {'yes' if figures.meets_targets else 'NO'}"
        )
    return "\n".join(lines)


# -- the Sphinx extension --------------------------------------------------


def prose_paragraphs(doctree) -> list[str]:
    """The text of every prose paragraph of a page.

    Code, tables, comments and captions are not prose; inline code inside a
    paragraph is part of its sentence, so it is counted as words.
    """
    from docutils import nodes  # type: ignore[import-untyped]  # no hints

    skipped = (nodes.literal_block, nodes.table, nodes.comment, nodes.raw)
    paragraphs = []
    for paragraph in doctree.findall(nodes.paragraph):
        inside = paragraph.parent
        while inside is not None and not isinstance(inside, skipped):
            inside = inside.parent
        if inside is None:
            paragraphs.append(paragraph.astext())
    return paragraphs


def _collect(app, doctree) -> None:
    """Count one page's prose as Sphinx reads it (``doctree-read``)."""
    pages = app.env.prose_figures
    pages[app.env.docname] = measure(prose_paragraphs(doctree))


def _forget(app, env, docname: str) -> None:
    """Drop a page's old count before Sphinx reads it again."""
    getattr(env, "prose_figures", {}).pop(docname, None)


def _print(app, exception: Exception | None) -> None:
    """Print the table once the build is done (``build-finished``)."""
    from sphinx.util import logging

    if exception is not None:
        return
    chapters: dict[str, Figures] = {}
    for docname, figures in app.env.prose_figures.items():
        chapters.setdefault(chapter_of(docname), Figures()).add(figures)
    logging.getLogger(__name__).info("\n" + report(chapters))


def _start(app) -> None:
    """Give the environment a place for the counts (``builder-inited``)."""
    if not hasattr(app.env, "prose_figures"):
        app.env.prose_figures = {}


def setup(app) -> dict[str, object]:
    """Register the extension: count while reading, print at the end."""
    app.connect("builder-inited", _start)
    app.connect("env-purge-doc", _forget)
    app.connect("doctree-read", _collect)
    app.connect("build-finished", _print)
    return {"parallel_read_safe": False, "env_version": 1}


def main() -> int:
    """Read the docs with Sphinx's dummy builder and print the figures."""
    from sphinx.cmd.build import build_main

    docs = Path(__file__).parent
    with tempfile.TemporaryDirectory() as out:
        return build_main(["-b", "dummy", "-E", str(docs), out])


if __name__ == "__main__":
    sys.exit(main())
