"""A learner who writes a step in their own words still passes ``check``.

Each case takes the code of a step, as its page shows it, and rewrites it
as a learner might: other names for their own helpers, other markup, other
wording for messages and pages. The behaviour stays: the same URLs, form
fields, statuses, redirects, flash categories and data. ``check`` must
still say the step passes, because the tests check what the app does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_steps import check, st

#: (example, step, [(file, what the page shows, what the learner wrote)]).
OWN_WORDS = [
    (
        "hello",
        11,
        [
            (
                "hello/templates/session.html",
                '<p class="answer">\n    You have opened this page\n'
                '    <strong>{{ visits }}</strong> time{{ "s" if visits '
                "!= 1 }}.\n  </p>",
                "<div>Visits so far: {{ visits }}</div>",
            ),
        ],
    ),
    (
        "hello",
        16,
        [
            ("hello/uploads.py", "allowed_file", "is_accepted"),
            ("hello/uploads.py", "Choose a file to upload.", "No file."),
            (
                "hello/uploads.py",
                'f"Files of that type are not allowed. Choose one of: '
                '{allowed}."',
                'f"We take {allowed} only."',
            ),
            (
                "hello/uploads.py",
                'f"Uploaded {saved_as}."',
                'f"Got {saved_as}!"',
            ),
            (
                "hello/upload_folder.py",
                "That file is empty: choose a file with something in it.",
                "Nothing in that file.",
            ),
            (
                "hello/upload_folder.py",
                'f"{whose} full: at most {limit} in all."',
                'f"No room for {whose}: {limit} at most."',
            ),
        ],
    ),
    (
        "flaskr",
        4,
        [
            (
                "flaskr/templates/auth/register.html",
                '<p class="error" id="username-error">'
                "{{ errors.username }}</p>",
                '<strong class="oops">{{ errors.username }}</strong>',
            ),
            (
                "flaskr/templates/auth/register.html",
                '<p class="error" id="password-error">'
                "{{ errors.password }}</p>",
                "<em>{{ errors.password }}</em>",
            ),
            ("flaskr/auth.py", "Username is required.", "Pick a name."),
            (
                "flaskr/auth.py",
                "Registered. You can log in now.",
                "Welcome! Please log in.",
            ),
            (
                "flaskr/auth.py",
                "Incorrect username or password.",
                "That did not work.",
            ),
        ],
    ),
    (
        "flaskr",
        6,
        [
            ("flaskr/blog.py", "read_post_form", "fields_of_the_form"),
            ("flaskr/blog.py", "Post published.", "Your post is online."),
            (
                "flaskr/templates/blog/index.html",
                '<article class="card post">\n'
                "      <h2>{{ post['title'] }}</h2>",
                "<section>\n      <h3>{{ post['title'] }}</h3>",
            ),
            ("flaskr/templates/blog/index.html", "</article>", "</section>"),
        ],
    ),
    (
        "minitwit",
        4,
        [
            ("minitwit/timeline.py", "render_timeline", "show_a_page"),
            ("minitwit/timeline.py", "position_of", "where_is"),
            (
                "minitwit/templates/_messages.html",
                '<li class="message">\n      <div>\n        <p class="meta">',
                "<li>\n      <div>\n        <div>",
            ),
            (
                "minitwit/templates/_messages.html",
                '</p>\n        <p class="body">{{ message.text }}</p>',
                "</div>\n        <blockquote>{{ message.text }}</blockquote>",
            ),
            ("minitwit/templates/_messages.html", "&larr; Newer", "Later"),
            ("minitwit/templates/_messages.html", "Older &rarr;", "Earlier"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("example", "step", "rewrites"),
    OWN_WORDS,
    ids=[f"{example}-{step}" for example, step, _ in OWN_WORDS],
)
def test_a_step_in_your_own_words_passes(example, step, rewrites, tmp_path):
    """Other helper names, markup and wording: the step still passes."""
    project = st.write_snapshot(st.load(example), tmp_path / "mine", step)
    for name, shown, written in rewrites:
        path: Path = project / name
        text = path.read_text("utf-8")
        assert shown in text, (
            f"{name} no longer has {shown!r}: update the case"
        )
        path.write_text(text.replace(shown, written), "utf-8")
    result = check(example, str(step), project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"All steps up to {step} pass." in result.stdout
