"""A Sphinx extension that links API names in the prose to their reference.

The pages write API names as inline code: ``url_for``, ``request.form``,
``select()``. When such a name is one of ``API_NAMES``, its first use in
each section becomes a link to the reference docs of Flask, Werkzeug, Jinja,
Flask-Login, Flask-WTF or SQLAlchemy. ``sphinx.ext.intersphinx`` makes the
link, from the inventories kept in ``_intersphinx/`` (``conf.py``), so the
build never goes online. A name whose target is in no inventory is a
warning (an error under ``sphinx-build -W``).

``python docs/api_links.py`` writes ``_intersphinx/*.inv`` from the
``*.txt`` beside them (``_intersphinx/README.md``).
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

from docutils import nodes  # type: ignore[import-untyped]  # no hints

#: The inventories' folder, beside this file.
INVENTORIES = Path(__file__).parent / "_intersphinx"

#: The text of an inline literal -> what it links to: ``py:`` a Python
#: object, ``std:`` a section label. A call or an item (``abort(404)``,
#: ``session["user_id"]``, ``Mapped[str]``) counts as its name.
API_NAMES = {
    # Flask
    "Flask": "py:flask.Flask",
    "app.config": "py:flask.Flask.config",
    "app.config.from_mapping": "py:flask.Config.from_mapping",
    "app.debug": "py:flask.Flask.debug",
    "@app.route": "py:flask.Flask.route",
    "@app.get": "py:flask.Flask.get",
    "@app.post": "py:flask.Flask.post",
    "@app.errorhandler": "py:flask.Flask.errorhandler",
    "app.register_error_handler": "py:flask.Flask.register_error_handler",
    "register_blueprint": "py:flask.Flask.register_blueprint",
    "before_app_request": "py:flask.Blueprint.before_app_request",
    "flask.request": "py:flask.request",
    "request.form": "py:flask.Request.form",
    "request.form.get": "py:flask.Request.form",
    "request.args": "py:flask.Request.args",
    "request.args.get": "py:flask.Request.args",
    "request.files": "py:flask.Request.files",
    "request.files.get": "py:flask.Request.files",
    "request.cookies.get": "py:flask.Request.cookies",
    "request.method": "py:flask.Request.method",
    "request.remote_addr": "py:flask.Request.remote_addr",
    "request.full_path": "py:flask.Request.full_path",
    "session": "py:flask.session",
    "flask.session": "py:flask.session",
    "session.clear": "py:flask.session",
    "session.setdefault": "py:flask.session",
    "g": "py:flask.g",
    "g.user": "py:flask.g",
    "current_app": "py:flask.current_app",
    "url_for": "py:flask.url_for",
    "render_template": "py:flask.render_template",
    "redirect": "py:flask.redirect",
    "abort": "py:flask.abort",
    "flash": "py:flask.flash",
    "get_flashed_messages": "py:flask.get_flashed_messages",
    "send_from_directory": "py:flask.send_from_directory",
    "SECRET_KEY": "py:SECRET_KEY",
    "SECRET_KEY_FALLBACKS": "py:SECRET_KEY_FALLBACKS",
    "MAX_CONTENT_LENGTH": "py:MAX_CONTENT_LENGTH",
    "TRUSTED_HOSTS": "py:TRUSTED_HOSTS",
    "TESTING": "py:TESTING",
    # Werkzeug
    "secure_filename": "py:werkzeug.utils.secure_filename",
    "werkzeug.security": "py:werkzeug.security",
    "werkzeug.security.generate_password_hash": (
        "py:werkzeug.security.generate_password_hash"
    ),
    "check_password_hash": "py:werkzeug.security.check_password_hash",
    "werkzeug.security.safe_join": "py:werkzeug.security.safe_join",
    "ProxyFix": "py:werkzeug.middleware.proxy_fix.ProxyFix",
    "response.set_cookie": "py:werkzeug.wrappers.Response.set_cookie",
    # Jinja
    "|safe": "py:jinja-filters.safe",
    "{{ word|safe }}": "py:jinja-filters.safe",
    '{% extends "base.html" %}': "std:extends",
    "{% for %}": "std:for-loop",
    "{% if %}": "std:if",
    # Flask-Login
    "LoginManager": "py:flask_login.LoginManager",
    "login_manager.init_app": "py:flask_login.LoginManager.init_app",
    "login_view": "py:flask_login.LoginManager.login_view",
    "user_loader": "py:flask_login.LoginManager.user_loader",
    "current_user": "py:flask_login.current_user",
    "login_user": "py:flask_login.login_user",
    "logout_user": "py:flask_login.logout_user",
    "UserMixin": "py:flask_login.UserMixin",
    # Flask-WTF ("csrf_token" alone is a form field's name)
    "FlaskForm": "py:flask_wtf.FlaskForm",
    "form.validate_on_submit": "py:flask_wtf.FlaskForm.validate_on_submit",
    "CSRFProtect": "py:flask_wtf.csrf.CSRFProtect",
    "csrf_token()": "py:flask_wtf.csrf.generate_csrf",
    # SQLAlchemy
    "select": "py:sqlalchemy.sql.expression.select",
    "IntegrityError": "py:sqlalchemy.exc.IntegrityError",
    "db.session": "py:sqlalchemy.orm.Session",
    "db.session.add": "py:sqlalchemy.orm.Session.add",
    "db.session.commit": "py:sqlalchemy.orm.Session.commit",
    "db.session.delete": "py:sqlalchemy.orm.Session.delete",
    "db.session.flush": "py:sqlalchemy.orm.Session.flush",
    "db.session.scalars": "py:sqlalchemy.orm.Session.scalars",
    "mapped_column": "py:sqlalchemy.orm.mapped_column",
    "Mapped": "py:sqlalchemy.orm.Mapped",
}
#: Names that mean these only in minitwit's pages: flaskr writes its own
#: ``login_required`` and commits with ``sqlite3``.
MINITWIT_NAMES = {
    "@login_required": "py:flask_login.login_required",
    "commit": "py:sqlalchemy.orm.Session.commit",
    "flush": "py:sqlalchemy.orm.Session.flush",
    "scalar": "py:sqlalchemy.orm.Session.scalar",
    "scalars": "py:sqlalchemy.orm.Session.scalars",
}
#: The pages that are about minitwit.
MINITWIT_PAGES = ("minitwit/", "instructors/minitwit")
#: A dotted name, maybe a decorator, maybe called or indexed.
NAME_IN_CODE = re.compile(r"(@?[A-Za-z_][\w.]*)(?:\(.*\)|\[.*\])?")
#: Where a literal stays text: a title, a caption, a link already.
NOT_IN = (nodes.title, nodes.caption, nodes.reference, nodes.literal_block)


def target_of(text: str, docname: str) -> str | None:
    """What the inline literal ``text`` on page ``docname`` links to."""
    names = API_NAMES
    if docname.startswith(MINITWIT_PAGES):
        names = {**API_NAMES, **MINITWIT_NAMES}
    if text in names:
        return names[text]
    match = NAME_IN_CODE.fullmatch(text)
    return names.get(match.group(1)) if match else None


def linkable(literal: nodes.literal) -> bool:
    """Tell whether an inline literal stands in the prose, unlinked."""
    node = literal.parent
    while node is not None:
        if isinstance(node, NOT_IN) or node.tagname == "pending_xref":
            return False
        node = node.parent
    return True


def section_of(node: nodes.Node) -> nodes.Element:
    """The innermost section holding ``node`` (or its document)."""
    while node.parent is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def link_api_names(document: nodes.document, docname: str) -> int:
    """Link the first use of each API name per section; say how many."""
    from sphinx import addnodes

    linked: set[tuple[int, str]] = set()
    for literal in list(document.findall(nodes.literal)):
        target = target_of(literal.astext(), docname)
        if target is None or not linkable(literal):
            continue
        first_use = (id(section_of(literal)), target)
        if first_use in linked:
            continue
        linked.add(first_use)
        domain, name = target.split(":", 1)
        xref = addnodes.pending_xref(
            "",
            refdomain=domain,
            reftype="obj" if domain == "py" else "ref",
            reftarget=name,
            refexplicit=True,
            refwarn=True,
        )
        literal.replace_self(xref)
        xref += literal
    return len(linked)


def _link(app, doctree) -> None:
    """Link the API names of a page as Sphinx reads it (``doctree-read``)."""
    link_api_names(doctree, app.env.docname)


def missing_targets(inventory: dict[str, dict[str, object]]) -> list[str]:
    """The targets of API_NAMES and MINITWIT_NAMES no inventory holds."""
    found = set()
    for kind, entries in inventory.items():
        domain = kind.split(":")[0]
        found |= {f"{domain}:{name}" for name in entries}
    targets = {*API_NAMES.values(), *MINITWIT_NAMES.values()}
    return sorted(targets - found)


def _check_targets(app) -> None:
    """Warn about targets the inventories lack (``builder-inited``)."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    inventory = getattr(app.env, "intersphinx_inventory", {})
    for target in missing_targets(inventory):
        logger.warning(
            "api_links: %s is in no inventory of _intersphinx/ "
            "(add it to the right *.txt, then python docs/api_links.py)",
            target,
        )


def compile_inventory(text: str) -> bytes:
    """An ``objects.inv`` from its plain text: 4 header lines, then
    ``name domain:role priority uri display-name`` lines, compressed."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[:4]).encode() + zlib.compress(
        "".join(lines[4:]).encode()
    )


def inventory_entries(data: bytes) -> set[str]:
    """The entry lines of an ``objects.inv``."""
    body = data.split(b"\n", 4)[4]
    return set(zlib.decompress(body).decode().splitlines())


def setup(app) -> dict[str, object]:
    """Load intersphinx and link the API names it knows."""
    app.setup_extension("sphinx.ext.intersphinx")
    # After intersphinx has read the inventories (priority 500).
    app.connect("builder-inited", _check_targets, priority=900)
    app.connect("doctree-read", _link, priority=400)
    return {"parallel_read_safe": True}


def main() -> int:
    """Write ``_intersphinx/*.inv`` from the ``*.txt`` files."""
    for text in sorted(INVENTORIES.glob("*.txt")):
        inv = text.with_suffix(".inv")
        inv.write_bytes(compile_inventory(text.read_text(encoding="utf-8")))
        print(f"{inv.relative_to(INVENTORIES.parent)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
