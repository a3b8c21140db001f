"""The extension objects, made once here and bound to the app in ``create_app``.

Keeping them in their own module lets every other module import them without
importing the app factory (and without circular imports).
"""

from __future__ import annotations

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

#: Checks the CSRF token of every POST, including the one-button forms
#: (follow, unfollow, log out, resend) that have no form class of their own.
csrf = CSRFProtect()

# [login-manager]
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
# [/login-manager]
