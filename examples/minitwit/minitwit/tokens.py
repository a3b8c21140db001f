"""The signed links in the mails: confirm an address, reset a password.

A token is data signed with the app's ``SECRET_KEY`` by itsdangerous, plus the
time it was made. Nobody can change the data without breaking the signature,
and :func:`read_token` refuses a token older than its ``max_age``. Each purpose
has its own *salt*, so a confirmation token is worthless as a reset token.

A reset token also carries a fingerprint of the password hash it was issued
for: once the password changes (by this reset, or any other way) the
fingerprint no longer matches, so the link works once and dies with the old
password.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from minitwit.extensions import db
from minitwit.models import User

#: The purposes (each signs with its own salt) and the keys of their lifetime.
MAX_AGE_KEYS = {
    "confirm": "CONFIRM_TOKEN_MAX_AGE",
    "reset": "RESET_TOKEN_MAX_AGE",
}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    """Return the signer for one purpose ("confirm" or "reset")."""
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"minitwit-{purpose}"
    )


def make_token(purpose: str, data: dict[str, Any]) -> str:
    """Sign ``data`` for ``purpose``; the result is safe to put in a URL."""
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str) -> dict[str, Any] | None:
    """Return the data of a valid, unexpired token for ``purpose``, or None."""
    max_age = current_app.config[MAX_AGE_KEYS[purpose]]
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired, a subclass
        return None


def password_fingerprint(pw_hash: str) -> str:
    """A short digest of a password hash: changes with the password."""
    return hashlib.sha256(pw_hash.encode()).hexdigest()[:16]


def confirm_token(user: User) -> str:
    """The token of the link that confirms ``user``'s address."""
    return make_token("confirm", {"uid": user.id, "email": user.email})


def reset_token(user: User) -> str:
    """The token of the link that sets a new password for ``user``."""
    return make_token(
        "reset",
        {"uid": user.id, "pw": password_fingerprint(user.pw_hash)},
    )


def user_for_confirm_token(token: str) -> User | None:
    """The user a confirmation token was made for, if valid and theirs."""
    data = read_token("confirm", token)
    if data is None:
        return None
    user = db.session.get(User, data["uid"])
    if user is None or user.email != data["email"]:
        return None
    return user


def user_for_reset_token(token: str) -> User | None:
    """The user a reset token was made for, if it is valid and unused.

    "Unused" means the password is still the one the token was issued for.
    """
    data = read_token("reset", token)
    if data is None:
        return None
    user = db.session.get(User, data["uid"])
    if user is None or password_fingerprint(user.pw_hash) != data["pw"]:
        return None
    return user
