"""Every form of minitwit as a Flask-WTF class: fields, validation, CSRF token.

A view makes the form, calls ``form.validate_on_submit()`` and either acts or
renders the page again, where the ``render_field`` macro of
``templates/_macros.html`` shows each field's errors.
``FlaskForm`` adds and checks the hidden ``csrf_token`` field by itself.
"""

from __future__ import annotations

import unicodedata

from email_validator import validate_email
from flask import current_app
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    ValidationError,
)

from minitwit.models import (
    EMAIL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
)
from minitwit.routing import reserved_names
from minitwit.users import get_user_by_name
from showcase.usernames import username_problem

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256


def strip(value: str | None) -> str | None:
    """Filter: drop the spaces a paste adds around a value."""
    return value.strip() if value else value


def no_control_characters(form: FlaskForm, field: TextAreaField) -> None:
    """Validator: text without control characters, but for line breaks.

    They show as nothing, or garble the page; and PostgreSQL cannot store
    the NUL character at all.
    """
    if any(
        unicodedata.category(char) == "Cc" and char not in "\r\n\t"
        for char in field.data
    ):
        raise ValidationError("Remove the control characters from the text.")


def username_allowed(form: FlaskForm, field: StringField) -> None:
    """Validator: a name that can live at ``/<username>`` and fools nobody.

    The characters allowed are the showcase's one rule, shared with flaskr:
    ASCII only, so no two names can look the same.
    """
    problem = username_problem(field.data)
    if problem is not None:
        raise ValidationError(problem)
    if field.data.lower() in reserved_names(current_app.url_map):
        raise ValidationError(
            "That name is reserved by the site. Choose another one."
        )


def normalise_email(form: FlaskForm, field: EmailField) -> None:
    """Validator: store the address as email-validator normalises it.

    Runs after WTForms' ``Email`` validator, which already refused anything
    that is not an address (a CR or LF, which could smuggle a mail header, is
    refused there). The domain is lower-cased; the unique index on the
    lower-cased address (``models.py``) makes the rest case-insensitive.
    """
    if not field.errors:
        field.data = validate_email(
            field.data, check_deliverability=False
        ).normalized


def email_field(label: str = "Email address") -> EmailField:
    """An email field: required, at most 254 characters, valid, normalised."""
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=EMAIL_MAX_LENGTH),
            Email("Enter a valid email address.", check_deliverability=False),
            normalise_email,
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields(
    label: str = "Password",
) -> tuple[PasswordField, PasswordField]:
    """The "password" and "repeat it" pair of a form that sets a password."""
    password = PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=(
                    f"Use {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH}"
                    " characters."
                ),
            ),
        ],
        description=f"At least {PASSWORD_MIN_LENGTH} characters.",
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        f"Repeat the {label.lower()}",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, password2


class RegisterForm(FlaskForm):
    """Sign up: a free, allowed name, an address, a password twice."""

    username = StringField(
        "Username",
        filters=[strip],
        validators=[
            DataRequired("Choose a username."),
            Length(max=USERNAME_MAX_LENGTH),
            username_allowed,
        ],
        render_kw={"autocomplete": "username"},
    )
    email = email_field()
    password, password2 = new_password_fields()

    def validate_username(self, field: StringField) -> None:
        """Refuse a name someone already has (in any case)."""
        if not field.errors and get_user_by_name(field.data) is not None:
            raise ValidationError("That username is already taken.")


class LoginForm(FlaskForm):
    """Log in with username and password; optionally stay logged in."""

    username = StringField(
        "Username",
        filters=[strip],
        validators=[DataRequired("Enter your username.")],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Remember me on this computer for 14 days")


class MessageForm(FlaskForm):
    """A new message: not empty, not longer than a tweet."""

    text = TextAreaField(
        "What's on your mind?",
        filters=[strip],
        validators=[
            DataRequired("Write something first."),
            Length(max=MESSAGE_MAX_LENGTH),
            no_control_characters,
        ],
    )


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link by email."""

    email = email_field()


class ResetPasswordForm(FlaskForm):
    """Choose a new password after following a reset link."""

    password, password2 = new_password_fields("New password")


class ChangePasswordForm(FlaskForm):
    """Change the password, proving first that you know the current one."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password, password2 = new_password_fields("New password")

    def validate_current_password(self, field: PasswordField) -> None:
        """Refuse the change unless the current password is right."""
        if not field.errors and not check_password_hash(
            current_user.pw_hash, field.data
        ):
            raise ValidationError("That is not your current password.")
