"""Every form of minitwit as a Flask-WTF class: fields, rules, CSRF token.

A view makes the form and calls ``form.validate_on_submit()``: true for a
POST whose CSRF token and fields are all valid. Otherwise the page shows
the form again, each field with its errors (``render_field`` in
``base.html``). The usernames in URLs follow the same rule
(:class:`UsernameConverter`). ``recaptcha.py`` gives the sign-up form one
more field, shown and checked only on a site that sets its keys.
"""

from __future__ import annotations

import re
from functools import cache

from flask import current_app
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from werkzeug.routing import BaseConverter, Map, ValidationError
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms import validators as v

from minitwit.models import MESSAGE_MAX_LENGTH, USERNAME_MAX_LENGTH, User

#: Up to 30 ASCII letters, digits, "_", "." and "-" (so that no two names
#: look the same), not starting with "." or "-".
USERNAME_RULE = v.Regexp(
    rf"\w[\w.-]{{0,{USERNAME_MAX_LENGTH - 1}}}\Z",
    re.ASCII,
    "Use up to 30 letters, digits, '_', '.' and '-', not first '.' or '-'.",
)
PASSWORD_RULE = v.Length(8, 256, "Use 8 to 256 characters.")
NO_CONTROL_CHARACTERS = v.Regexp(
    r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*\Z",
    message="Remove the control characters from the text.",
)
#: The longest display name and "about me" (as on Twitter).
DISPLAY_NAME_MAX_LENGTH = 50
ABOUT_MAX_LENGTH = 160
#: The largest picture file taken (a request may be 1 MiB in all).
PICTURE_MAX_BYTES = 1_000_000
PICTURE_TOO_BIG = "Choose a picture file of at most 1 MB."


def strip(value: str | None) -> str | None:
    """Drop the spaces a paste adds around a value."""
    return value.strip() if value else value


@cache
def route_names(url_map: Map) -> frozenset[str]:
    """The first path segments of the site's own routes, lower-cased."""
    firsts = (rule.rule.split("/")[1].lower() for rule in url_map.iter_rules())
    return frozenset(name for name in firsts if name and "<" not in name)


class UsernameConverter(BaseConverter):
    """A name in a URL: not one of a route (so GET /logout is a 405)."""

    regex = f"[^/\\x00]{{1,{USERNAME_MAX_LENGTH}}}"

    def to_python(self, value: str) -> str:
        """Refuse the names of the site's routes."""
        if value.lower() in route_names(self.map):
            raise ValidationError
        return value


class RegisterForm(FlaskForm):
    """Sign up: a free name, an address, a password typed twice."""

    username = StringField(
        "Username",
        [v.DataRequired("Choose a username."), USERNAME_RULE],
        filters=[strip],
    )
    email = EmailField(
        "Email address",
        [
            v.DataRequired("Enter your email address."),
            v.Email("Enter a valid email address."),  # 254 characters at most
        ],
        filters=[strip],
    )
    password = PasswordField(
        "Password", [v.DataRequired("Choose a password."), PASSWORD_RULE]
    )
    password2 = PasswordField(
        "Repeat the password",
        [
            v.DataRequired("Type the password again."),
            v.EqualTo("password", "The two passwords do not match."),
        ],
    )

    def validate_username(self, field: StringField) -> None:
        """Refuse the name of a route, or of someone else (in any case)."""
        if field.data.lower() in route_names(current_app.url_map):
            raise v.ValidationError("That name is reserved by the site.")
        if User.named(field.data) is not None:
            raise v.ValidationError("That username is already taken.")


class LoginForm(FlaskForm):
    """Log in; optionally stay logged in for ``REMEMBER_COOKIE_DURATION``."""

    username = StringField(
        "Username", [v.DataRequired("Enter your username.")], filters=[strip]
    )
    password = PasswordField(
        "Password", [v.DataRequired("Enter your password.")]
    )
    remember = BooleanField("Remember me on this computer")


class MessageForm(FlaskForm):
    """A new message: not empty, not longer than a tweet."""

    text = TextAreaField(
        "What's on your mind?",
        [
            v.DataRequired("Write something first."),
            v.Length(max=MESSAGE_MAX_LENGTH),
            NO_CONTROL_CHARACTERS,
        ],
        filters=[strip],
    )


class ResetRequestForm(FlaskForm):
    """Ask for a link that sets a new password."""

    email = RegisterForm.email


class ResetPasswordForm(FlaskForm):
    """Choose a new password, from the link in the mail."""

    password = RegisterForm.password
    password2 = RegisterForm.password2


class ChangePasswordForm(ResetPasswordForm):
    """Change the password, proving first that you know the current one."""

    current_password = PasswordField(
        "Current password", [v.DataRequired("Enter your current password.")]
    )

    def validate_current_password(self, field: PasswordField) -> None:
        """Refuse the change unless the current password is right."""
        if not current_user.check_password(field.data):
            raise v.ValidationError("That is not your current password.")


class ProfileForm(FlaskForm):
    """What your page says about you: a name and a few words, both optional."""

    display_name = StringField(
        "Display name",
        [v.Length(max=DISPLAY_NAME_MAX_LENGTH), NO_CONTROL_CHARACTERS],
        filters=[strip],
    )
    about = TextAreaField(
        "About me",
        [v.Length(max=ABOUT_MAX_LENGTH), NO_CONTROL_CHARACTERS],
        filters=[strip],
    )


class AvatarForm(FlaskForm):
    """A picture file: its name and size; ``pictures.redraw`` reads it."""

    picture = FileField(
        "Picture",
        [
            FileRequired("Choose a picture file."),
            FileAllowed(
                ["png", "jpg", "jpeg", "gif", "webp"],
                "Choose a PNG, JPEG, GIF or WebP picture.",
            ),
            FileSize(PICTURE_MAX_BYTES, message=PICTURE_TOO_BIG),
        ],
    )
