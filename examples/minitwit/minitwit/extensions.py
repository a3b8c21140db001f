"""The extension objects, made once here, bound to the app in ``create_app``.

Keeping them in their own module lets every other module import them without
importing the app factory (and without circular imports).
"""

from __future__ import annotations

from pathlib import Path

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate  # type: ignore[import-untyped]  # no hints
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Model(DeclarativeBase):
    """The base class of minitwit's models (see ``models.py``).

    Flask-SQLAlchemy adds its extras to it as ``db.Model``; the models
    subclass this class itself, which type checkers can follow.
    """

    #: Names for every index and constraint, the same on every engine, so a
    #: migration can find them again to change or drop them.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


#: Flask-SQLAlchemy: the models' base class (``db.Model``), the session of
#: each request (``db.session``), and the engine built from the config.
db = SQLAlchemy(model_class=Model)

#: Flask-Migrate: ``flask --app minitwit db upgrade`` and friends. The
#: migrations live inside the package, so they travel with ``pip install``.
migrate = Migrate(
    directory=str(Path(__file__).parent / "migrations"),
    render_as_batch=True,  # SQLite changes a table by copying it
)

#: Checks the CSRF token of every POST, including the one-button forms
#: (follow, unfollow, log out, resend) that have no form class of their own.
csrf = CSRFProtect()

login_manager = LoginManager()
#: Where ``@login_required`` sends anonymous visitors, with ``?next=`` the page
#: they wanted.
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to see this page."
#: "basic": when a session cookie turns up from another browser or network,
#: Flask-Login marks the login as not fresh instead of logging out. "strong"
#: would delete the session and the remember-me cookie too, logging out
#: everyone whose address changes (a phone between networks) and defeating
#: remember-me. What attackers want most, changing the password, asks for the
#: current password anyway; and a reset or change rotates the session token,
#: which logs out every stolen cookie.
login_manager.session_protection = "basic"

#: Flask-Limiter: counts attempts per key (see ``limits.py``). Its settings
#: come from the ``RATELIMIT_*`` config keys.
limiter = Limiter(get_remote_address)
