"""Google's reCAPTCHA on the sign-up form, for a site that sets its keys.

With ``RECAPTCHA_PUBLIC_KEY`` and ``RECAPTCHA_PRIVATE_KEY`` set, the
``recaptcha`` field of :class:`~minitwit.forms.RegisterForm` (Flask-WTF's
``RecaptchaField``) shows Google's box and asks Google whether the answer
is right. This module turns it on, lets Google's script and frame through
the sign-up page's Content-Security-Policy (that page only), and answers
503 with the form when Google cannot be asked. Without the keys, the field
is neither shown nor checked, and no hook of this module runs.
"""

from __future__ import annotations

from urllib.error import URLError

from flask import Flask, Response, current_app, render_template, request
from flask_wtf import Recaptcha, RecaptchaField

from minitwit.forms import RegisterForm
from showcase.security import InsecureConfigError

#: Google's box, the sign-up form's last field. Without the keys it is
#: neither shown (``register.html``) nor checked (``RECAPTCHA_ENABLED``).
RegisterForm.recaptcha = RecaptchaField(
    "Are you a person?", [Recaptcha("Tick the reCAPTCHA box first.")]
)
#: What reCAPTCHA loads, by CSP directive (Google's reCAPTCHA FAQ).
RECAPTCHA_SOURCES = {
    "script-src": "https://www.google.com/recaptcha/ "
    "https://www.gstatic.com/recaptcha/",
    "frame-src": "https://www.google.com/recaptcha/ "
    "https://recaptcha.google.com/recaptcha/",
}
#: The directives a browser follows instead when the policy lacks one.
FALLBACKS = {
    "script-src": ["default-src"],
    "frame-src": ["child-src", "default-src"],
}


def init_app(app: Flask) -> None:
    """Ask for reCAPTCHA on sign-up if the site set both of its keys."""
    config = app.config
    keys = [config["RECAPTCHA_PUBLIC_KEY"], config["RECAPTCHA_PRIVATE_KEY"]]
    if any(keys) and not all(keys):
        raise InsecureConfigError(
            "minitwit: set both RECAPTCHA_PUBLIC_KEY and "
            "RECAPTCHA_PRIVATE_KEY, or neither: with one, sign-up would "
            "ask for no reCAPTCHA."
        )
    # Flask-WTF's switch: off, the field is not checked (nor shown here).
    config["RECAPTCHA_ENABLED"] = all(keys)
    if all(keys):
        app.after_request(allow_recaptcha)
        app.register_error_handler(URLError, recaptcha_unreachable)


def allow_recaptcha(response: Response) -> Response:
    """Let the sign-up page, and no other, load reCAPTCHA."""
    if request.endpoint == "auth.register":
        policy = current_app.config["CONTENT_SECURITY_POLICY"]
        response.headers["Content-Security-Policy"] = with_recaptcha(policy)
    return response


def with_recaptcha(policy: str) -> str:
    """The Content-Security-Policy ``policy``, plus reCAPTCHA's sources."""
    directives: dict[str, str] = {}
    for directive in policy.split(";"):
        name, _, sources = directive.strip().partition(" ")
        if name:
            directives.setdefault(name, sources.strip())  # the first counts
    for name, added in RECAPTCHA_SOURCES.items():
        rules = [
            directives[n] for n in [name, *FALLBACKS[name]] if n in directives
        ]
        if rules:  # otherwise the policy does not restrict it
            sources = rules[0].replace("'none'", "").strip()
            directives[name] = f"{sources} {added}".strip()
    return "; ".join(
        f"{name} {sources}".strip() for name, sources in directives.items()
    )


def recaptcha_unreachable(error: URLError):
    """Google did not answer: the sign-up form again, saying to retry."""
    if request.endpoint != "auth.register":
        raise error  # not reCAPTCHA's check: the usual error page
    form = RegisterForm()  # as it was typed, but the passwords
    form.recaptcha.errors = [
        "We could not check the reCAPTCHA just now. Try again in a minute."
    ]
    return render_template("auth/register.html", form=form), 503
