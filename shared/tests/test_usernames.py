"""The username rule: plain ASCII names pass, look-alikes do not."""

from __future__ import annotations

import pytest

from showcase.usernames import USERNAME_RULE, username_problem


@pytest.mark.parametrize(
    "name", ["alice", "Bob_2", "_x", "a.b-c", "0", "a" * 200]
)
def test_plain_names_are_allowed(name):
    """Letters, digits, ``_``, ``.`` and ``-`` make a good name."""
    assert username_problem(name) is None


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("\u0430lice", id="cyrillic-a"),
        pytest.param("alice\u3164", id="hangul-filler"),
        pytest.param("\uff41lice", id="fullwidth-a"),
        pytest.param("al\u00a0ice", id="nbsp"),
        pytest.param("alice\u0301", id="combining-accent"),
        pytest.param("al\u200bice", id="zero-width-space"),
        pytest.param("Zo\u00eb", id="accented-letter"),
        pytest.param("\u540d\u524d", id="other-script"),
        pytest.param("with space", id="space"),
        pytest.param("a/b", id="slash"),
        pytest.param(".hidden", id="leading-dot"),
        pytest.param("-dash", id="leading-dash"),
        pytest.param("alice\n", id="trailing-newline"),
        pytest.param("bad\x00name", id="nul"),
        pytest.param("", id="empty"),
    ],
)
def test_look_alikes_and_invisibles_are_refused(name):
    """Anything outside plain ASCII letters and digits gets the rule back."""
    assert username_problem(name) == USERNAME_RULE
