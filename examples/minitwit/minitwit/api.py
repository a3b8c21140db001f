"""minitwit's JSON API at ``/api/v1/``: timelines and profiles, for programs.

Each resource is a class whose methods answer the HTTP methods of its URL
(Flask's ``MethodView``). flask-smorest reads what comes in and writes what
goes out through the marshmallow schemas, and builds from them the OpenAPI
document at ``/api/v1/openapi.json``, which ``/api/v1/docs`` shows with
Swagger UI. Pages of messages carry the same positions as the HTML pages
(``timeline.py``); errors are problem details (``problems.py``). What
changes data needs a token (``tokens.py``), never the browser's cookie.
"""

from __future__ import annotations

from functools import wraps
from importlib.resources import files

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    render_template,
    request,
    url_for,
)
from flask.views import MethodView
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
)
from marshmallow.validate import Regexp
from sqlalchemy import Select, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from minitwit import problems, tokens
from minitwit.auth import post_limit
from minitwit.forms import MessageForm
from minitwit.models import MESSAGE_MAX_LENGTH, Message, User, db
from minitwit.timeline import (
    POSITION,
    Window,
    followed_messages,
    position_of,
)

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(DBAPIError, problems.database_problem)
#: Swagger UI's own files, from the flask-swagger-ui package: no CDN.
swagger_ui = Blueprint(
    "swagger_ui",
    __name__,
    static_folder=str(files("flask_swagger_ui") / "dist"),
    static_url_path="/api/v1/docs",
)


def avatar_url(user: User) -> str:
    """Where ``user``'s picture is: the one they uploaded, or the drawn one."""
    if user.avatar_name:
        name = user.avatar_name
        return url_for("pictures.uploaded", name=name, _external=True)
    return url_for("avatar", username=user.username, _external=True)


class UserSchema(Schema):
    """A profile: names, what they say about themselves, their picture."""

    username = fields.String()
    display_name = fields.String(allow_none=True)
    about = fields.String(allow_none=True)
    avatar = fields.Function(avatar_url, metadata={"type": "string"})
    messages = fields.Function(
        lambda user: url_for(
            "api.user_messages", username=user.username, _external=True
        ),
        metadata={"type": "string", "description": "Their messages."},
    )


class MessageSchema(Schema):
    """A message: what it says, who wrote it (their username), when."""

    id = fields.Integer()
    text = fields.String()
    author = fields.String(attribute="author.username")
    pub_date = fields.Function(  # in UTC, as the pages write it
        lambda message: f"{message.pub_date:%Y-%m-%dT%H:%M:%SZ}",
        metadata={"type": "string", "format": "date-time"},
    )


class PageSchema(Schema):
    """Messages, newest first; ``next``: the older ones, if there are."""

    messages = fields.List(fields.Nested(MessageSchema))
    next = fields.Url(allow_none=True)


WHOLE_POSITION = Regexp(f"^{POSITION.pattern}$")  # nothing else: the doc's


class PositionArgs(Schema):
    """Where a page starts: a position from a ``next`` link."""

    before = fields.String(validate=WHOLE_POSITION)
    after = fields.String(validate=WHOLE_POSITION)


def page_of(query: Select, window: Window) -> tuple[dict, dict[str, str]]:
    """The page of ``query`` in ``window``, with a link to the next."""
    per_page = current_app.config["PER_PAGE"]
    messages = list(db.session.scalars(window.cut(query)))
    more, messages = len(messages) > per_page, messages[:per_page]
    if window.newer:  # ?after=: the page just newer than the position
        messages.reverse()
    if not (messages and (more or window.newer)):
        return {"messages": messages, "next": None}, {}
    here = {"endpoint": request.endpoint, **(request.view_args or {})}
    url = url_for(**here, before=position_of(messages[-1]), _external=True)
    return {"messages": messages, "next": url}, {"Link": f"<{url}>; rel=next"}


@bp.route("/messages", endpoint="messages")
class Messages(MethodView):
    """Everyone's messages: the public timeline."""

    @bp.arguments(PositionArgs, location="query")
    @bp.response(200, PageSchema)
    def get(self, position: dict):
        """Everyone's messages, newest first, a page at a time."""
        return page_of(select(Message), Window.asked())


@bp.route("/users/<username:username>", endpoint="user")
class Profile(MethodView):
    """One user's profile."""

    @bp.response(200, UserSchema)
    def get(self, username: str):
        """What ``username`` tells about themselves, and their picture."""
        return user_or_404(username)


def user_or_404(username: str) -> User:
    """The user called ``username``; a 404 if there is none."""
    return User.named(username) or abort(404, f"No user {username!r}.")


@bp.route("/users/<username:username>/messages", endpoint="user_messages")
class UserMessages(MethodView):
    """One user's messages."""

    @bp.arguments(PositionArgs, location="query")
    @bp.response(200, PageSchema)
    def get(self, position: dict, username: str):
        """``username``'s messages, newest first, a page at a time."""
        user = user_or_404(username)
        return page_of(user.messages.select(), Window.asked())


# --- tokens -----------------------------------------------------------------

#: How the document names the credentials (``init_app`` describes them).
BEARER: list[dict] = [{"token": []}]
BASIC: list[dict] = [{"password": []}]


def token_required(method):
    """Run ``method`` with the request's live token as ``token``; a 401
    without one. The browser's cookie is never read."""

    @wraps(method)
    def with_token(*args, **kwargs):
        g.token = tokens.bearer_token()  # for the limits' keys
        return method(*args, token=g.token, **kwargs)

    with_token = bp.alt_response(401, response="UNAUTHORIZED")(with_token)
    return bp.doc(security=BEARER)(with_token)


def confirmed(user: User) -> User:
    """``user``, if they confirmed their address; else a 403."""
    if not user.confirmed_at:
        abort(403, "Confirm your address first: open the link we mailed.")
    return user


def per_token() -> str:
    """A Flask-Limiter key: the request's token (its digest)."""
    return f"token:{g.token.digest}"


def wrong_password(response) -> bool:
    """Whether a password was refused: all ``LOGIN_LIMIT`` counts."""
    return response.status_code == 401


class TokenSchema(Schema):
    """A new token, and when it expires (in UTC)."""

    token = fields.String(
        metadata={"description": "Send it: Authorization: Bearer <token>."}
    )
    expires = fields.Function(
        lambda new: f"{new['expires']:%Y-%m-%dT%H:%M:%SZ}",
        metadata={"type": "string", "format": "date-time"},
    )


@bp.route("/tokens", endpoint="tokens")
class Tokens(MethodView):
    """The tokens that let a program act for you."""

    @post_limit("LOGIN_LIMIT", deduct_when=wrong_password)
    @post_limit("API_TOKEN_LIMIT")
    @bp.response(201, TokenSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.doc(security=BASIC)
    def post(self):
        """Trade your username and password (HTTP Basic) for a token."""
        secret, token = tokens.Token.issue(tokens.password_owner())
        db.session.commit()
        return {"token": secret, "expires": token.expires}

    @token_required
    @bp.response(204)
    def delete(self, token: tokens.Token):
        """Revoke the token this request carries."""
        db.session.delete(token)
        db.session.commit()


# --- your own timeline, posting, following -----------------------------------


@bp.route("/timeline", endpoint="timeline")
class Timeline(MethodView):
    """Your home timeline."""

    @token_required
    @bp.arguments(PositionArgs, location="query")
    @bp.response(200, PageSchema)
    def get(self, position: dict, token: tokens.Token):
        """Your messages and those of the people you follow, newest first,
        a page at a time."""
        window = Window.asked()
        return page_of(followed_messages(token.user, window), window)


class JsonBody(Schema):
    """A request's body: JSON, else a 415."""

    @pre_load
    def json_only(self, data: dict, **kwargs) -> dict:
        """Refuse a body of another type before reading it."""
        if not request.is_json:
            abort(415, "Send JSON, with Content-Type: application/json.")
        return data


#: What the form takes: something besides spaces, no control characters.
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
SOME_TEXT = rf"^[^{CONTROL}]*[^\s{CONTROL}][^{CONTROL}]*$"


class NewMessageSchema(JsonBody):
    """A new message, held to the rules of the form (``MessageForm``)."""

    text = fields.String(
        required=True,
        metadata={"maxLength": MESSAGE_MAX_LENGTH, "pattern": SOME_TEXT},
    )

    @post_load
    def as_the_form(self, data: dict, **kwargs) -> dict:
        """Check and strip ``text`` as the form on the home page does."""
        form = MessageForm(formdata=None, data=data, meta={"csrf": False})
        if not form.validate():
            raise ValidationError(form.errors)
        return form.data


# Posting has a class of its own on the URL of the public timeline:
# reading everyone's messages needs none of what posting needs.
@bp.route("/messages", endpoint="new_message")
class NewMessage(MethodView):
    """Posting a message."""

    @token_required
    @post_limit("API_MESSAGE_LIMIT", key_func=per_token)
    @post_limit("API_MESSAGE_ADDRESS_LIMIT")
    @bp.arguments(NewMessageSchema)
    @bp.response(201, MessageSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    def post(self, new: dict, token: tokens.Token):
        """Post a message, as the token's owner."""
        author = confirmed(token.user)
        message = Message(author_id=author.id, text=new["text"])
        db.session.add(message)
        db.session.commit()
        return message


@bp.route("/following/<username:username>", endpoint="following")
class Following(MethodView):
    """Someone you follow: ``PUT`` them there, ``DELETE`` them from there.
    Either, sent twice, changes nothing more."""

    @token_required
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, username: str, token: tokens.Token):
        """Whether you follow ``username``: a 204 if so, else a 404."""
        whom = user_or_404(username)
        if not token.user.is_following(whom):
            abort(404, f"You do not follow {whom.username}.")

    @token_required
    @bp.response(204)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def put(self, username: str, token: tokens.Token):
        """Follow ``username``: see their messages in your timeline."""
        me, whom = confirmed(token.user), user_or_404(username)
        if whom.id == me.id:
            abort(403, "You cannot follow yourself.")
        me.follow(whom)
        try:
            db.session.commit()
        except IntegrityError:  # followed before, or just now: one row
            db.session.rollback()

    @token_required
    @bp.response(204)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def delete(self, username: str, token: tokens.Token):
        """Stop following ``username``."""
        confirmed(token.user).unfollow(user_or_404(username))
        db.session.commit()


# --- the documentation page --------------------------------------------------


def docs():
    """Swagger UI: the API's document, to read and to try out."""
    return render_template("api_docs.html")


def init_app(app: Flask) -> None:
    """Serve the API, its OpenAPI document and its page; answer every error
    under ``/api/`` with problem details."""
    # flask-smorest serves the document at OPENAPI_URL_PREFIX/openapi.json.
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    spec: dict = {"title": "minitwit", "version": "1"}
    spec["openapi_version"] = "3.1.0"
    # The paths start at the site's root, which may sit under a prefix (the
    # portal's /minitwit/, a proxy's): two levels above this document.
    spec["servers"] = [{"url": "../.."}]
    api = problems.ProblemApi(app, spec_kwargs=spec)
    bearer = {"type": "http", "scheme": "bearer"}
    api.spec.components.security_scheme("token", bearer)
    basic = {"type": "http", "scheme": "basic"}
    api.spec.components.security_scheme("password", basic)
    api.register_blueprint(bp)
    # Programs send tokens, not cookies: nothing here to forge across sites.
    app.extensions["csrf"].exempt(bp)
    app.register_blueprint(swagger_ui)
    app.add_url_rule("/api/v1/docs", "api_docs", docs)
    problems.init_app(app, prefix="/api/")
