"""Accounts: sign up, log in and out, confirm the address, reset the password.

Every view has the same shape: make the Flask-WTF form; if
``form.validate_on_submit()`` passes, act and redirect; otherwise show the
form again, with its errors (and status 400 after a POST).
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.security import generate_password_hash

from minitwit.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from minitwit.mail import send_mail
from minitwit.models import User, db, email_key

bp = Blueprint("auth", __name__)

#: Flask-Limiter: how often each account form may be sent, per client.
limiter = Limiter(get_remote_address)


def post_limit(key: str, **options):
    """Flask-Limiter's limit on POSTs: config ``key``, one count for all."""
    return limiter.shared_limit(
        lambda: current_app.config[key],
        key,
        methods=["POST"],
        error_message="Too many attempts. Wait a while, then try again.",
        **options,
    )


def refused(response) -> bool:
    """Whether a form was refused (400): all a password limit counts."""
    return response.status_code == 400


def inbox() -> str:
    """A Flask-Limiter key: the inbox a form mails, as lookups see it."""
    return "inbox:" + email_key(request.form.get("email", ""))


def render_form(template: str, form, **context):
    """Show a form page: status 200 when new, 400 after a failed POST."""
    status = 400 if form.errors else 200
    return render_template(template, form=form, **context), status


def user_with_email(email: str) -> User | None:
    """The user whose address is ``email``, in any case, or ``None``."""
    query = select(User).where(User.email_key == email_key(email))
    return db.session.scalar(query)


# --- signing up and logging in -----------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@post_limit("REGISTER_LIMIT")
@post_limit("REGISTER_LIMIT", key_func=inbox)
def register():
    """Create an account; mail the link that confirms its address."""
    if current_user.is_authenticated:
        return redirect(url_for("timeline.home"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_form("auth/register.html", form)
    user = User(username=form.username.data, email=form.email.data)
    user.set_password(form.password.data)
    # A taken address: same answer, same work, a mail to its owner.
    if user_with_email(user.email) is None:
        db.session.add(user)
        db.session.flush()  # the mail below commits the account with it
        send_confirmation(user)
    else:
        send_mail(
            user.email,
            "You already have an account",
            "account_exists",
            login_link=external_url("auth.login"),
            reset_link=external_url("auth.reset_request"),
        )
    flash(f"We sent a mail to {user.email}: open its link.", "success")
    return redirect(url_for("auth.login"))


@cache
def stand_in(method: str) -> User:
    """A user nobody is, with a password nobody knows."""
    pw_hash = generate_password_hash(secrets.token_hex(), method=method)
    return User(pw_hash=pw_hash)


@bp.route("/login", methods=["GET", "POST"])
@post_limit("LOGIN_LIMIT", deduct_when=refused)
def login():
    """Log in, then go to ``?next=`` if it is on this site, else home."""
    if current_user.is_authenticated:
        return redirect(url_for("timeline.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_form("auth/login.html", form)
    # An unknown name is checked as slowly, on a stand-in: time tells no names.
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user = User.named(form.username.data) or stand_in(method)
    if not user.check_password(form.password.data) or user.id is None:
        form.form_errors.append("Invalid username or password.")
        return render_form("auth/login.html", form)
    if user.suspended:  # told only to whoever knows the password
        form.form_errors.append(f"Your account is suspended: {user.suspended}")
        return render_form("auth/login.html", form)
    session.clear()  # a new session: nothing planted before login survives
    login_user(user, remember=form.remember.data)
    flash("You were logged in.", "success")
    next_page = request.args.get("next", "")
    if not is_on_this_site(next_page):
        next_page = url_for("timeline.home")
    return redirect(next_page)


def is_on_this_site(target: str) -> bool:
    """Whether ``target`` is a path here (``//evil`` or ``/\\evil`` is not)."""
    starts_here = target[:1] == "/" and target[1:2] not in ("/", "\\")
    return starts_here and target.isprintable()


@bp.post("/logout")
def logout():
    """Log out, in every browser: copies of the cookies stop working."""
    if current_user.is_authenticated:
        current_user.session_token = secrets.token_urlsafe(32)
        db.session.commit()
    logout_user()
    flash("You were logged out.")
    return redirect(url_for("timeline.public"))


# --- the mailed links -------------------------------------------------------


def signer(purpose: str) -> URLSafeTimedSerializer:
    """Signs and reads the tokens of one kind of link (a salt each)."""
    key = current_app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(key, salt=f"minitwit-{purpose}")


def external_url(endpoint: str, **values) -> str:
    """A link for a mail: ``MAIL_LINK_BASE``, never the request's Host."""
    base = current_app.config["MAIL_LINK_BASE"].rstrip("/")
    return base + url_for(endpoint, **values)


def fingerprint(secret: str) -> str:
    """A short digest of ``secret``: a link bound to it dies when it changes,
    and shows nothing of it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def user_for_token(purpose: str, token: str) -> User | None:
    """The user a valid, unexpired, still fitting link was made for."""
    max_age = current_app.config[f"{purpose.upper()}_TOKEN_MAX_AGE"]
    try:
        data = signer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # tampered with, or expired
        return None
    user = db.session.get(User, data["uid"])
    if user is None or user.email != data.get("email"):  # a new address
        return None
    if purpose == "reset" and fingerprint(user.pw_hash) != data["pw"]:
        return None  # a new password: the link was used
    return user


def link_invalid(kind: str):
    """Explain that a mailed link is broken, expired or used; what to do."""
    return render_template("auth/link_invalid.html", kind=kind), 400


def send_confirmation(user: User) -> None:
    """Mail ``user`` the link that confirms their address."""
    token = signer("confirm").dumps({"uid": user.id, "email": user.email})
    send_mail(
        user.email,
        "Confirm your email address",
        "confirm",
        username=user.username,
        email=user.email,
        link=external_url("auth.confirm", token=token),
    )


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm an address: the link shows a button, the button does it."""
    user = user_for_token("confirm", token)
    if user is None:
        return link_invalid("confirm")
    if request.method == "GET":
        return render_template("auth/confirm.html", user=user)
    if user.confirmed_at:
        flash("Your address was already confirmed.")
        return redirect(url_for("timeline.home"))
    # Whoever signed up may not own the address: every session of the
    # account ends, but this browser's if it is logged in to it.
    mine = current_user.is_authenticated and current_user.id == user.id
    user.confirmed_at = func.now()
    user.session_token = secrets.token_urlsafe(32)
    try:
        db.session.commit()
    except StaleDataError:  # confirmed meanwhile, in another tab
        db.session.rollback()
        return link_invalid("confirm")
    if mine:
        session.clear()
        login_user(user)
    flash("Thank you, your address is confirmed.", "success")
    flash("Every other browser logged in to this account was logged out.")
    return redirect(url_for("timeline.home"))


@bp.post("/confirm")
@login_required
@post_limit("RESEND_LIMIT", key_func=lambda: f"user:{current_user.id}")
def resend_confirmation():
    """Mail the confirmation link again, to the logged-in user."""
    if current_user.confirmed_at:
        flash("Your address is already confirmed.")
    else:
        send_confirmation(current_user)
        flash(
            f"We sent a new confirmation link to {current_user.email}.",
            "success",
        )
    return redirect(url_for("timeline.home"))


@bp.route("/reset", methods=["GET", "POST"])
@post_limit("RESET_LIMIT")
def reset_request():
    """Mail a reset link if the address has an account; same answer if not."""
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_form("auth/reset_request.html", form)
    if reset_mail_allowed(form.email.data):
        send_reset_mail(form.email.data)
    flash(
        "If an account uses that address, we sent it a link to choose a new "
        "password.",
        "success",
    )
    return redirect(url_for("auth.login"))


def send_reset_mail(address: str) -> None:
    """Mail ``address`` a reset link, or say that no account uses it: the
    same work either way, so nobody learns who has an account."""
    user = user_with_email(address)
    if user is None:
        send_mail(
            address,
            "No account uses this address",
            "no_account",
            register_link=external_url("auth.register"),
        )
        return
    pw = fingerprint(user.pw_hash)
    data = {"uid": user.id, "email": user.email, "pw": pw}
    send_mail(
        user.email,
        "Choose a new password",
        "reset",
        username=user.username,
        link=external_url(
            "auth.reset_password", token=signer("reset").dumps(data)
        ),
    )


def reset_mail_allowed(address: str) -> bool:
    """Count a reset mail to the inbox of ``address``; none past
    ``RESET_LIMIT`` an hour. No inbox is flooded, and nobody is refused:
    the links sent meanwhile work."""
    limit = parse(current_app.config["RESET_LIMIT"])
    return limiter.limiter.hit(limit, "reset-mail", email_key(address))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a mailed link; log out every session."""
    user = user_for_token("reset", token)
    if user is None:
        return link_invalid("reset")
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_form("auth/reset_password.html", form)
    user.set_password(form.password.data)
    user.confirmed_at = (
        user.confirmed_at or func.now()
    )  # the mail reached them
    try:
        db.session.commit()
    except StaleDataError:  # the link was used meanwhile, in another tab
        return link_invalid("reset")
    logout_user()
    flash(
        "Your password has been changed. Log in with the new one.", "success"
    )
    return redirect(url_for("auth.login"))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@post_limit("LOGIN_LIMIT", deduct_when=refused)
def change_password():
    """Change the password; this browser stays logged in, no other does."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_form("auth/change_password.html", form)
    current_user.set_password(form.password.data)
    try:
        db.session.commit()
    except StaleDataError:  # another tab changed it first
        db.session.rollback()
        form.current_password.errors.append(
            "Your password was changed meanwhile. Enter the new one."
        )
        return render_form("auth/change_password.html", form)
    session.clear()
    login_user(current_user._get_current_object())
    flash(
        "Your password has been changed. Your other sessions were logged out.",
        "success",
    )
    return redirect(url_for("timeline.home"))


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Change the name and the few words your page shows."""
    form = ProfileForm(obj=current_user)
    if not form.validate_on_submit():
        return render_form("auth/profile.html", form)
    current_user.display_name = form.display_name.data or None
    current_user.about = form.about.data or None
    db.session.commit()
    flash("Your profile was saved.", "success")
    return redirect(
        url_for("timeline.user_timeline", username=current_user.username)
    )
