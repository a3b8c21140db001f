"""Moderation: people report messages; moderators hide and restore them.

A confirmed user reports a message once, saying why. A moderator (a role,
``roles.py``) sees the open reports at ``/moderation/``, and hides a
message (it leaves every timeline and its author gets a mail saying why),
restores it, or dismisses its reports. A moderator cannot act on their
own messages, nor on an admin's.

Each action writes an :class:`AuditEntry`, which the app never changes; it
names accounts and messages by their ids, without foreign keys, so that an
entry stays as written whatever later happens to them.

A moderator also suspends an account, and restores it: a suspended account
is logged out everywhere, gets no new login or API token, and its messages
are hidden with it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, Index, String, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, aliased, relationship
from sqlalchemy.orm import mapped_column as column
from wtforms import StringField
from wtforms import validators as v

from minitwit.auth import post_limit, render_form
from minitwit.forms import NO_CONTROL_CHARACTERS, strip
from minitwit.mail import send_mail
from minitwit.models import CASCADE, Message, Model, User, db
from minitwit.roles import Role, moderator
from minitwit.timeline import confirmed_required

bp = Blueprint("moderation", __name__)

#: The longest reason a report or a moderator gives.
REASON_MAX_LENGTH = 200
#: How many open reports, and log entries, the moderators' page shows.
QUEUE_LENGTH = 50


class Report(Model):
    """Someone's report of a message, open until a moderator acts on it."""

    __tablename__ = "report"
    id: Mapped[int] = column(primary_key=True)
    message_id: Mapped[int] = column(ForeignKey("message.id", **CASCADE))
    reporter_id: Mapped[int] = column(ForeignKey("account.id", **CASCADE))
    reason: Mapped[str] = column(String(REASON_MAX_LENGTH))
    created: Mapped[datetime] = column(default=func.now())
    resolved: Mapped[bool] = column(default=False)
    message: Mapped[Message] = relationship(lazy="joined", innerjoin=True)


# One report per person and message: the database says so.
Index("ix_report_message", Report.message_id, Report.reporter_id, unique=True)
Index("ix_report_reporter_id", Report.reporter_id)
# The moderators' queue: the open reports, oldest first.
Index("ix_report_resolved_id", Report.resolved, Report.id)


class ReasonForm(FlaskForm):
    """Why: a report's reason, or a moderator's."""

    reason = StringField(
        "Why?",
        [
            v.DataRequired("Say why."),
            v.Length(max=REASON_MAX_LENGTH),
            NO_CONTROL_CHARACTERS,
        ],
        filters=[strip],
    )


# --- reporting a message -----------------------------------------------------


@bp.route("/messages/<int:message_id>/report", methods=["GET", "POST"])
@confirmed_required
@post_limit("REPORT_LIMIT", key_func=lambda: f"user:{current_user.id}")
def report(message_id: int):
    """Report a message to the moderators, once, saying why."""
    message = db.get_or_404(Message, message_id)
    if message.hidden:
        abort(404)
    if message.author_id == current_user.id:
        abort(403, "You cannot report your own message.")
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_form("moderation/report.html", form, message=message)
    reason, reporter = form.reason.data, current_user.id
    db.session.add(
        Report(message=message, reporter_id=reporter, reason=reason)
    )
    try:
        db.session.commit()
        flash("Thank you: a moderator will look at it.", "success")
    except IntegrityError:  # the unique index: one report each
        db.session.rollback()
        flash("You have already reported this message.")
    author = message.author.username
    return redirect(url_for("timeline.user_timeline", username=author))


# --- the moderators' page ----------------------------------------------------


@bp.get("/moderation/")
@login_required
@moderator.require()
def queue():
    """The open reports, oldest first, and the latest actions of the log."""
    reports = select(Report).where(~Report.resolved).order_by(Report.id)
    by, account = aliased(User), aliased(User)
    log = (
        select(AuditEntry, by.username, account, Message.hidden)
        .outerjoin(by, by.id == AuditEntry.moderator_id)
        .outerjoin(account, account.id == AuditEntry.account_id)
        .outerjoin(Message, Message.id == AuditEntry.message_id)
        .order_by(AuditEntry.id.desc())
    )
    return render_template(
        "moderation/queue.html",
        reports=db.session.scalars(reports.limit(QUEUE_LENGTH)).all(),
        log=db.session.execute(log.limit(QUEUE_LENGTH)).all(),
        form=ReasonForm(),
    )


# --- hiding a message -------------------------------------------------------


def reason_to_act_on(account: User) -> str:
    """Why the moderator acts on ``account`` or its message; 403 for their
    own or an admin's, 400 if they do not say why."""
    admin = db.session.get(Role, (account.id, "admin"))
    if account.id == current_user.id or admin:
        abort(403, "Moderators act on other people, not on admins.")
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400, "Say why, in at most 200 characters.")
    return form.reason.data


def moderate(message_id: int, action: str) -> tuple[Message, str]:
    """The message to act on and why, once in the log (or 404, 403, 400)."""
    message = db.get_or_404(Message, message_id)
    reason = reason_to_act_on(message.author)
    record(action, message.author, reason, message.id)
    return message, reason


def resolve_reports(message: Message) -> None:
    """Close the open reports of ``message``: a moderator has seen it."""
    db.session.execute(
        update(Report)
        .where(Report.message_id == message.id, ~Report.resolved)
        .values(resolved=True)
    )


@bp.post("/moderation/messages/<int:message_id>/hide")
@login_required
@moderator.require()
def hide(message_id: int):
    """Hide a message from every timeline; mail its author why."""
    message, reason = moderate(message_id, "hide")
    if message.hidden:  # pressed twice: hidden, and its author told, once
        abort(409, "This message is hidden already.")
    message.hidden = "moderator"
    resolve_reports(message)
    send_mail(  # commits the action and its log entry with the mail
        message.author.email,
        "A moderator hid one of your messages",
        "message_hidden",
        message=message,
        reason=reason,
    )
    flash("The message is hidden; its author was told why.", "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/moderation/messages/<int:message_id>/restore")
@login_required
@moderator.require()
def restore(message_id: int):
    """Show a hidden message in the timelines again."""
    message, _ = moderate(message_id, "restore")
    if message.hidden != "moderator":  # a suspension's: restore its author
        abort(409, "This message is not hidden by a moderator.")
    message.hidden = None
    db.session.commit()
    flash("The message is back in the timelines.", "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/moderation/messages/<int:message_id>/dismiss")
@login_required
@moderator.require()
def dismiss(message_id: int):
    """Close the reports of a message that breaks no rule; it stays."""
    message, _ = moderate(message_id, "dismiss")
    resolve_reports(message)
    db.session.commit()
    flash("The reports are dismissed; the message stays.", "success")
    return redirect(url_for("moderation.queue"))


# --- the audit log -----------------------------------------------------------


class AuditEntry(Model):
    """One moderation action: who did what to which message, when, why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = column(primary_key=True)
    created: Mapped[datetime] = column(default=func.now())
    moderator_id: Mapped[int]  # or the admin's
    action: Mapped[str] = column(String(40))  # hide, restore, suspend, ...
    message_id: Mapped[int | None]
    account_id: Mapped[int]  # whose message it was, or the account
    reason: Mapped[str] = column(String(REASON_MAX_LENGTH))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def keep_as_written(*_: object) -> None:
    """Refuse to change or delete an entry: the log only grows."""
    raise PermissionError("The audit log is never changed.")


def record(action: str, account: User, reason: str, message_id=None) -> None:
    """Write in the audit log what the current user did, to whom, and why."""
    entry = AuditEntry(action=action, reason=reason, message_id=message_id)
    entry.moderator_id, entry.account_id = current_user.id, account.id
    db.session.add(entry)


# --- suspending an account ---------------------------------------------------


def suspend_account(user: User, reason: str) -> None:
    """Suspend ``user``: their sessions and tokens end, their messages hide."""
    user.suspended = reason
    user.session_token = secrets.token_urlsafe(32)
    shown = (Message.author_id == user.id) & Message.hidden.is_(None)
    db.session.execute(
        update(Message).where(shown).values(hidden="suspension")
    )


def restore_account(user: User) -> None:
    """Let ``user`` log in again, and show the messages the suspension hid."""
    user.suspended = None
    hid = (Message.author_id == user.id) & (Message.hidden == "suspension")
    db.session.execute(update(Message).where(hid).values(hidden=None))


@bp.post("/moderation/accounts/<int:user_id>/suspend")
@login_required
@moderator.require()
def suspend(user_id: int):
    """Suspend an account: logged out everywhere, it cannot log in again."""
    user = db.get_or_404(User, user_id)
    reason = reason_to_act_on(user)
    if user.suspended:
        abort(409, "This account is suspended already.")
    record("suspend", user, reason)
    suspend_account(user, reason)
    db.session.commit()
    flash(
        f"{user.username} is suspended; their messages are hidden.", "success"
    )
    return redirect(url_for("moderation.queue"))


@bp.post("/moderation/accounts/<int:user_id>/restore")
@login_required
@moderator.require()
def reinstate(user_id: int):
    """Lift a suspension: the account may log in, its messages show again."""
    user = db.get_or_404(User, user_id)
    reason = reason_to_act_on(user)
    if not user.suspended:
        abort(409, "This account is not suspended.")
    record("restore account", user, reason)
    restore_account(user)
    db.session.commit()
    flash(f"{user.username} may log in again.", "success")
    return redirect(url_for("moderation.queue"))
