"""Roles with Flask-Principal: who may moderate, who may administer.

An account has no role unless ``flask --app minitwit roles grant`` gave it
one. Flask-Login says who is logged in; on every request Flask-Principal
asks :func:`identity_of` for that user's identity, and
:func:`add_roles` reads their roles from the ``role`` table. A view
guarded by ``@moderator.require()`` answers 403 to anyone without the
role (:func:`forbidden`). The roles are never kept in the session: a role
granted or revoked counts from the next request of every session.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_login import current_user
from flask_principal import (  # type: ignore[import-untyped]  # no hints
    Identity,
    Permission,
    PermissionDenied,
    Principal,
    RoleNeed,
    identity_loaded,
)
from sqlalchemy import CheckConstraint, ForeignKey, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column as column
from werkzeug.exceptions import Forbidden

from minitwit.models import CASCADE, Model, User, db
from showcase.errors import render_error_page

#: The roles an account may have.
ROLES = ("admin", "moderator")

principal = Principal(use_sessions=False, skip_static=True)
#: What the moderation pages ask of their visitors (a template global too).
moderator = Permission(RoleNeed("moderator"))


class Role(Model):
    """One role of one account."""

    __tablename__ = "role"
    user_id: Mapped[int] = column(
        ForeignKey("account.id", **CASCADE), primary_key=True
    )
    name: Mapped[str] = column(String(20), primary_key=True)
    __table_args__ = (CheckConstraint(f"name IN {ROLES}", name="known"),)


@principal.identity_loader
def identity_of() -> Identity | None:
    """The logged-in user's identity; ``None`` for a visitor."""
    if current_user.is_authenticated:
        return Identity(current_user.id)
    return None


def add_roles(app: Flask, identity: Identity) -> None:
    """Give a logged-in user's identity their roles, read afresh."""
    query = select(Role.name).where(Role.user_id == current_user.id)
    identity.provides.update(
        RoleNeed(name) for name in db.session.scalars(query)
    )


def forbidden(error: PermissionDenied):
    """Tell a user without the role a page needs that it is not for them."""
    return render_error_page(Forbidden("This page needs a role you lack."))


@click.group("roles")
def roles_command() -> None:
    """Grant, revoke and list the roles of accounts."""


def account(username: str) -> User:
    """The account called ``username``; stop with a message if none."""
    user = User.named(username)
    if user is None:
        raise click.ClickException(f"There is no user {username!r}.")
    return user


@roles_command.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def grant_command(username: str, role: str) -> None:
    """Give USERNAME the ROLE (admin or moderator)."""
    user = account(username)
    db.session.add(Role(user_id=user.id, name=role))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        click.echo(f"{user.username} already is {role}.")
        return
    click.echo(f"{user.username} is now {role}, from their next request.")


@roles_command.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def revoke_command(username: str, role: str) -> None:
    """Take the ROLE from USERNAME."""
    user = account(username)
    mine = (Role.user_id == user.id) & (Role.name == role)
    gone = db.session.scalars(delete(Role).where(mine).returning(Role.name))
    if gone.first() is None:
        click.echo(f"{user.username} was not {role}.")
    else:
        click.echo(f"{user.username} is no longer {role}.")
    db.session.commit()


@roles_command.command("list")
@with_appcontext
def list_command() -> None:
    """Print every account that has a role, with its roles."""
    query = (
        select(User.username, Role.name)
        .join(Role, Role.user_id == User.id)
        .order_by(User.username, Role.name)
    )
    rows = db.session.execute(query).all()
    for username, name in rows:
        click.echo(f"{username}: {name}")
    if not rows:
        click.echo("No account has a role.")


def init_app(app: Flask) -> None:
    """Load each request's roles; add ``roles`` and the template global."""
    principal.init_app(app)
    identity_loaded.connect_via(app)(add_roles)
    app.register_error_handler(PermissionDenied, forbidden)
    app.add_template_global(moderator, "moderator")
    app.cli.add_command(roles_command)
