"""Accounts: sign up, log in and out, confirm the address, reset the password.

Every view here follows the same shape: make the Flask-WTF form, and if
``form.validate_on_submit()`` passes (a POST with a valid CSRF token and valid
fields), act and redirect; otherwise show the form again, with its errors and
status 400 after a failed POST.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from minitwit.extensions import db
from minitwit.forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from minitwit.limits import current_user_key, form_value_key, limit
from minitwit.mail import external_url, send_mail
from minitwit.models import User
from minitwit.tokens import (
    confirm_token,
    reset_token,
    user_for_confirm_token,
    user_for_reset_token,
)
from minitwit.users import (
    authenticate,
    create_user,
    end_sessions,
    get_user_by_email,
    get_user_by_name,
    hash_password,
    mark_confirmed,
    replace_password,
    user_with_session_token,
    write_account_again,
)
from showcase.security import is_safe_redirect_target

bp = Blueprint("auth", __name__)


def render_form(template: str, form: FlaskForm, **context):
    """Show a form page: 200 when it is new, 400 after a POST that failed."""
    status = 400 if form.errors else 200
    return render_template(template, form=form, **context), status


def link_invalid(kind: str):
    """Explain that a mailed link is broken, expired or used; what to do."""
    return render_template("auth/link_invalid.html", kind=kind), 400


def send_confirmation(user: User) -> None:
    """Mail ``user`` the link that confirms their address."""
    send_mail(
        user.email,
        "Confirm your email address",
        "confirm",
        username=user.username,
        email=user.email,
        link=external_url("auth.confirm", token=confirm_token(user)),
    )


def warn_owner(email: str) -> None:
    """Tell the owner of ``email`` that someone signed up with it again."""
    send_mail(
        email,
        "You already have an account",
        "account_exists",
        login_link=external_url("auth.login"),
        reset_link=external_url("auth.reset_request"),
    )


@bp.route("/register", methods=["GET", "POST"])
@limit("REGISTER_LIMIT", form_value_key("email"))
def register():
    """Create an account and mail the link that confirms its address.

    An address that already has an account gets the same page, in the
    same time: its owner gets a mail instead, so the page tells nobody
    which addresses have accounts.
    """
    if current_user.is_authenticated:
        return redirect(url_for("timeline.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = None
        if get_user_by_email(form.email.data) is None:
            try:
                user = create_user(
                    form.username.data, form.email.data, form.password.data
                )
            except IntegrityError:
                # Someone took the name or the address between the check
                # and the INSERT; the unique index kept it to one row.
                db.session.rollback()
                if get_user_by_name(form.username.data) is not None:
                    form.username.errors.append(
                        "That username is already taken."
                    )
                    return render_form("auth/register.html", form)
        if user is not None:
            send_confirmation(user)
        else:
            # The same work as a new account: one hash, one row written.
            hash_password(form.password.data)
            write_account_again(form.email.data)
            warn_owner(form.email.data)
        flash(
            f"Welcome! We sent a mail to {form.email.data}. Open its link to "
            "confirm your address, and log in.",
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_form("auth/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limit("LOGIN_LIMIT", form_value_key("username"))
def login():
    """Log in, then go to ``?next=`` if it is on this site, else home."""
    if current_user.is_authenticated:
        return redirect(url_for("timeline.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            # One message for both cases: it does not tell which names exist.
            form.form_errors.append("Invalid username or password.")
            return render_form("auth/login.html", form)
        start_session(user, remember=form.remember.data)
        flash("You were logged in.", "success")
        next_url = request.args.get("next")
        if is_safe_redirect_target(next_url):
            return redirect(next_url)
        return redirect(url_for("timeline.home"))
    return render_form("auth/login.html", form)


def start_session(user: User, remember: bool = False) -> None:
    """Log ``user`` in, in a new session (with a new CSRF secret).

    Nothing from before the login survives it: a CSRF token or session
    cookie that someone planted or saw before cannot ride on the login.
    """
    session.clear()
    login_user(user, remember=remember)


@bp.post("/logout")
def logout():
    """Log out, on the server too, and show the public timeline.

    The new session token ends every session of the account: a copy of
    the cookies taken before stops working at once.
    """
    if current_user.is_authenticated:
        end_sessions(current_user.id)
    logout_user()
    flash("You were logged out.")
    return redirect(url_for("timeline.public"))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm an address: the link shows a button; the button (a POST) does.

    Opening the link changes nothing, because mail scanners and browsers
    open links by themselves; only the button does.
    """
    user = user_for_confirm_token(token)
    if user is None:
        return link_invalid("confirm")
    if request.method == "POST":  # CSRFProtect has checked the token already
        if mark_confirmed(user.id):
            flash("Thank you, your address is confirmed.", "success")
        else:
            flash("Your address was already confirmed.")
        return redirect(url_for("timeline.home"))
    return render_template("auth/confirm.html", user=user)


@bp.post("/confirm")
@login_required
@limit("RESEND_LIMIT", current_user_key)
def resend_confirmation():
    """Mail the confirmation link again, to the logged-in user."""
    if current_user.confirmed:
        flash("Your address is already confirmed.")
    else:
        send_confirmation(current_user)
        flash(
            f"We sent a new confirmation link to {current_user.email}.",
            "success",
        )
    return redirect(url_for("timeline.home"))


@bp.route("/reset", methods=["GET", "POST"])
@limit("RESET_LIMIT", form_value_key("email"))
def reset_request():
    """Mail a reset link if the address has an account; same answer if not."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = get_user_by_email(form.email.data)
        if user is not None:
            link = external_url("auth.reset_password", token=reset_token(user))
            send_mail(
                user.email,
                "Choose a new password",
                "reset",
                username=user.username,
                link=link,
            )
        flash(
            "If an account uses that address, we sent it a link to choose "
            "a new password.",
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a mailed link; log out every session."""
    user = user_for_reset_token(token)
    if user is None:
        return link_invalid("reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if replace_password(user.id, user.pw_hash, form.password.data) is None:
            # The link was used meanwhile, in another tab.
            return link_invalid("reset")
        # The link reached their inbox: the address is theirs.
        mark_confirmed(user.id)
        logout_user()
        flash(
            "Your password has been changed. Log in with the new one.",
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; this browser stays logged in, no other does."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        token = replace_password(
            current_user.id, current_user.pw_hash, form.password.data
        )
        if token is None:
            form.current_password.errors.append(
                "Your password was changed meanwhile. Enter the new one."
            )
            return render_form("auth/change_password.html", form)
        user = user_with_session_token(token)
        assert user is not None  # the UPDATE above just set this token
        start_session(user)
        flash(
            "Your password has been changed. "
            "Your other sessions were logged out.",
            "success",
        )
        return redirect(url_for("timeline.home"))
    return render_form("auth/change_password.html", form)
