"""One username rule: ASCII only, so no two names can look the same."""

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
