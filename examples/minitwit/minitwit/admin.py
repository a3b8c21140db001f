"""The admin site: Flask-Admin at ``/admin/``, for the ``admin`` role only.

Flask-Admin builds list, search, filter and edit pages from the models.
Every page asks :meth:`AdminOnly.is_accessible` first: a visitor is sent to
log in, a user without the role gets 403. Its forms are Flask-WTF forms, so
they carry the CSRF token every form of the site carries. Each change made
here is written to the audit log (``moderation.py``); an edit form asks why.
Suspending an account calls :func:`~minitwit.moderation.suspend_account`,
as a moderator's button does. Its pages run under the site's
Content-Security-Policy: their scripts carry a nonce sent in their own
header, and ``templates/admin/minitwit/`` replaces the inline ``onclick``
handlers of Flask-Admin's templates with ``static/admin.js``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, ClassVar

from flask import (
    Flask,
    Response,
    after_this_request,
    current_app,
    g,
)
from flask_admin import (  # type: ignore[import-untyped]  # no hints
    Admin,
    AdminIndexView,
    expose,
)
from flask_admin.contrib.sqla import (  # type: ignore[import-untyped]
    ModelView,
)
from flask_admin.menu import MenuLink  # type: ignore[import-untyped]
from flask_admin.theme import Bootstrap4Theme  # type: ignore[import-untyped]
from flask_login import current_user
from flask_principal import (  # type: ignore[import-untyped]  # no hints
    Permission,
    PermissionDenied,
    RoleNeed,
)
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from wtforms import BooleanField, Field, SelectMultipleField, StringField
from wtforms import validators as v
from wtforms.validators import ValidationError

from minitwit.forms import NO_CONTROL_CHARACTERS, strip
from minitwit.mail import send_mail
from minitwit.models import Message, Model, User, db, login_manager
from minitwit.moderation import (
    REASON_MAX_LENGTH,
    AuditEntry,
    Report,
    record,
    resolve_reports,
    restore_account,
    suspend_account,
)
from minitwit.roles import ROLES, Role

#: What every page of the admin site asks of its visitors.
admin_role = Permission(RoleNeed("admin"))
#: Why, when a change has no form to say it in (a delete).
NO_FORM_REASON = "Deleted in the admin site."


def csp_nonce() -> str:
    """This page's nonce: on its ``<script>`` tags and in its CSP header."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
        after_this_request(send_nonce)
    return g.csp_nonce


def send_nonce(response: Response) -> Response:
    """Let the page run the scripts that carry its nonce, and no other."""
    directives = []
    for directive in current_app.config["CONTENT_SECURITY_POLICY"].split(";"):
        directive = directive.strip()
        if directive.split(" ")[0] == "script-src":
            directive += f" 'nonce-{g.csp_nonce}'"
        directives.append(directive)
    response.headers["Content-Security-Policy"] = "; ".join(directives)
    return response


class AdminOnly:
    """Pages for admins: a visitor logs in first, anyone else gets 403."""

    def is_accessible(self) -> bool:
        """Whether the user is an admin (read afresh on every request)."""
        return admin_role.can()

    def inaccessible_callback(self, name: str, **kwargs: Any):
        """Send a visitor to log in; tell a user it is not for them."""
        if current_user.is_authenticated:
            raise PermissionDenied(admin_role)
        return login_manager.unauthorized()


class AdminHome(AdminOnly, AdminIndexView):
    """The admin site's first page: what it holds."""

    @expose("/")
    def index(self):
        """List the tables an admin looks after."""
        return self.render("admin/minitwit/index.html")


class AdminModelView(AdminOnly, ModelView):
    """A table in the admin site: Flask-WTF forms, short pages, no count."""

    form_base_class = FlaskForm
    list_template = "admin/minitwit/list.html"
    edit_template = "admin/minitwit/edit.html"
    details_template = "admin/minitwit/details.html"
    can_create = False
    can_view_details = True
    page_size = 20
    # Previous and next only: a page count would count every row.
    simple_list_pager = True
    named_filter_urls = True
    #: Extra fields of the edit form; ``reason`` is asked on every edit.
    form_extra_fields: ClassVar[dict[str, Field]] = {
        "reason": StringField(
            "Why?",
            [
                v.DataRequired("Say why."),
                v.Length(max=REASON_MAX_LENGTH),
                NO_CONTROL_CHARACTERS,
            ],
            filters=[strip],
        )
    }

    def __init__(self, model: type[Model], name: str) -> None:
        super().__init__(model, db, name=name, endpoint=model.__tablename__)

    def scaffold_form(self) -> type[FlaskForm]:
        """The edit form: only ``form_extra_fields``, which
        ``on_model_change`` applies; no column is written as typed."""
        fields = {**self.form_extra_fields, "populate_obj": keep_as_is}
        return type(f"{self.name}Form", (FlaskForm,), fields)


def keep_as_is(form: FlaskForm, obj: object) -> None:
    """Change nothing: the view's ``on_model_change`` does it."""


class AccountView(AdminModelView):
    """Accounts: their roles, confirmation and suspension."""

    column_list = ("id", "username", "email", "confirmed_at", "suspended")
    column_details_list = (*column_list, "roles", "created", "about")
    column_searchable_list = ("username", "email")
    column_filters = ("confirmed_at", "suspended")
    column_formatters: ClassVar[dict[str, Callable]] = {
        "roles": lambda view, context, user, name: ", ".join(roles_of(user))
    }
    can_delete = False
    form_extra_fields: ClassVar[dict[str, Field]] = {
        "roles": SelectMultipleField("Roles", choices=ROLES),
        "confirmed": BooleanField("Address confirmed"),
        "suspension": StringField(
            "Suspended, because (empty: not suspended)",
            [v.Length(max=REASON_MAX_LENGTH)],
        ),
        **AdminModelView.form_extra_fields,
    }

    def on_form_prefill(self, form, id: Any) -> None:
        """Fill in the account's roles, confirmation and suspension."""
        user = db.get_or_404(User, id)
        form.roles.data = roles_of(user)
        form.confirmed.data = user.confirmed_at is not None
        form.suspension.data = user.suspended or ""

    def on_model_change(self, form, user: User, is_created: bool) -> None:
        """Apply and log each change: roles, confirmation, suspension."""
        reason = form.reason.data
        if user.id == current_user.id and (
            form.suspension.data or "admin" not in form.roles.data
        ):
            raise ValidationError("You cannot suspend or demote yourself.")
        before = set(roles_of(user))
        for name in sorted(set(form.roles.data) - before):
            db.session.add(Role(user_id=user.id, name=name))
            record(f"admin: grant {name}", user, reason)
        for name in sorted(before - set(form.roles.data)):
            mine = (Role.user_id == user.id) & (Role.name == name)
            db.session.execute(delete(Role).where(mine))
            record(f"admin: revoke {name}", user, reason)
        if form.confirmed.data != (user.confirmed_at is not None):
            now = datetime.now(timezone.utc)
            user.confirmed_at = now if form.confirmed.data else None
            record("admin: confirm" if form.confirmed.data else
                   "admin: unconfirm", user, reason)  # fmt: skip
        suspension = (form.suspension.data or "").strip() or None
        if suspension and not user.suspended:
            record("admin: suspend", user, reason)
            suspend_account(user, suspension)
        elif user.suspended and not suspension:
            record("admin: restore account", user, reason)
            restore_account(user)
        elif suspension != user.suspended:
            record("admin: edit suspension", user, reason)
            user.suspended = suspension


def roles_of(user: User) -> list[str]:
    """The names of ``user``'s roles."""
    query = select(Role.name).where(Role.user_id == user.id)
    return list(db.session.scalars(query.order_by(Role.name)))


class MessageView(AdminModelView):
    """Messages: search them, filter them, hide or delete one."""

    column_list = ("id", "author.username", "text", "pub_date", "hidden")
    column_labels: ClassVar[dict[str, str]] = {"author.username": "Author"}
    column_searchable_list = ("text",)
    column_filters = ("hidden", "author.username")
    column_default_sort = ("id", True)
    form_extra_fields: ClassVar[dict[str, Field]] = {
        "hide": BooleanField("Hidden by a moderator"),
        **AdminModelView.form_extra_fields,
    }

    def on_form_prefill(self, form, id: Any) -> None:
        """Tick "hidden" for a message a moderator hid."""
        form.hide.data = db.get_or_404(Message, id).hidden == "moderator"

    def on_model_change(self, form, message: Message, created: bool) -> None:
        """Hide the message (its author is told why) or show it again."""
        hidden = message.hidden == "moderator"
        if form.hide.data == hidden:
            return
        if message.hidden == "suspension":
            raise ValidationError("Its author is suspended: restore them.")
        reason = form.reason.data
        if not form.hide.data:
            message.hidden = None
            record("admin: restore", message.author, reason, message.id)
            return
        message.hidden = "moderator"
        record("admin: hide", message.author, reason, message.id)
        resolve_reports(message)
        send_mail(  # as a moderator's "Hide" does; commits
            message.author.email,
            "A moderator hid one of your messages",
            "message_hidden",
            message=message,
            reason=reason,
        )

    def on_model_delete(self, message: Message) -> None:
        """Log the message's deletion."""
        record(
            "admin: delete message", message.author, NO_FORM_REASON, message.id
        )


class ReportView(AdminModelView):
    """Reports of messages: read them, filter them (moderators act)."""

    column_list = ("id", "message.text", "reporter_id", "reason", "created",
                   "resolved")  # fmt: skip
    column_labels: ClassVar[dict[str, str]] = {"message.text": "Message"}
    column_filters = ("resolved", "created", "reporter_id")
    column_default_sort = ("id", True)
    can_edit = False
    can_delete = False


class AuditView(AdminModelView):
    """The audit log: read only, newest first."""

    column_filters = ("action", "moderator_id", "account_id", "message_id")
    column_default_sort = ("id", True)
    can_edit = False
    can_delete = False


def init_app(app: Flask) -> None:
    """Serve the admin site at ``/admin/``."""
    admin = Admin(
        app,
        name="minitwit admin",
        index_view=AdminHome(name="Home", url="/admin"),
        # Flask-Admin's look, in minitwit's page (a language, admin.js).
        theme=Bootstrap4Theme(base_template="admin/minitwit/base.html"),
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(AccountView(User, "Accounts"))
    admin.add_view(MessageView(Message, "Messages"))
    admin.add_view(ReportView(Report, "Reports"))
    admin.add_view(AuditView(AuditEntry, "Audit log"))
    admin.add_link(MenuLink("Back to minitwit", endpoint="timeline.public"))
