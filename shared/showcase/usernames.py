"""One rule for usernames in every example: plain ASCII letters and digits.

A name made only of ``A-Z``, ``a-z``, ``0-9``, ``_``, ``.`` and ``-`` cannot
hide an invisible character or a look-alike letter: a Cyrillic a (U+0430),
the Hangul filler U+3164, a fullwidth a (U+FF41), a non-breaking space or a
combining accent. So no two accounts can look the same on a page.
"""

from __future__ import annotations

import re

#: A letter, digit or ``_`` first, then letters, digits, ``_``, ``.``, ``-``.
#: The ranges are ASCII only: ``\w`` would also match other scripts.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")

#: What the user is told when a name breaks the rule.
USERNAME_RULE = (
    "Use only letters, digits, '_', '.' and '-', starting with a letter, "
    "digit or '_' (no spaces or '/')."
)


def username_problem(name: str) -> str | None:
    """Say why ``name`` cannot be a username, or ``None`` if it can."""
    if USERNAME_PATTERN.fullmatch(name):
        return None
    return USERNAME_RULE
