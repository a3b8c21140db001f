"""The admin site at /admin/, tried by everyone.

bob is an admin, alice a moderator, erin a plain user, carol writes.
Every URL of the admin site is tried by each of them and by a visitor;
each change an admin makes is checked in the data and in the audit log.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from conftest import sql
from html_page import Page
from sent_mail import recorded_mail
from test_moderation import act, logged_in, post, token

from showcase.testing import csrf_token

pytestmark = pytest.mark.step(38)

#: The admin site's tables, by the path of their pages.
TABLES = {
    "account": "SELECT id FROM account",
    "message": "SELECT id FROM message",
    "report": "SELECT id FROM report",
    "audit_log": "SELECT id FROM audit_log",
}


@pytest.fixture
def site(app):
    """carol posted and was reported; bob administers, alice moderates."""
    people = SimpleNamespace(
        **{
            name: logged_in(app, name)
            for name in ["carol", "bob", "alice", "erin"]
        }
    )
    people.message = post(people.carol, "Something rude")
    hidden = post(people.carol, "Something worse")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roles", "grant", "bob", "admin"])
    assert runner.invoke(args=["roles", "grant", "alice", "moderator"])
    people.ids = {
        row["username"]: row["id"]
        for row in sql(app, "SELECT id, username FROM account")
    }
    people.erin.post(
        f"/messages/{people.message}/report",
        data={"reason": "Rude.", "csrf_token": token(people.erin)},
    )
    assert act(people.alice, "hide", hidden, "Rule 1.").status_code == 302
    return people


def edit(browser, table: str, row_id: int, **data: str | list[str]):
    """Send the edit form of a row of ``table``, as its page does."""
    url = f"/admin/{table}/edit/?id={row_id}"
    form = {"csrf_token": csrf_token(browser.get(url)), **data}
    return browser.post(url, data=form)


def log(app) -> list[tuple[str, int, str]]:
    """The admins' entries of the audit log: (action, account, reason)."""
    rows = sql(
        app,
        "SELECT action, account_id, reason FROM audit_log"
        " WHERE action LIKE 'admin:%' ORDER BY id",
    )
    return [(row["action"], row["account_id"], row["reason"]) for row in rows]


def account(app, user_id: int) -> dict:
    """The account's row."""
    (row,) = sql(app, "SELECT * FROM account WHERE id = :id", id=user_id)
    return dict(row)


def redirects_to_login(response) -> bool:
    """Whether ``response`` sends its visitor to the login page."""
    location = response.headers.get("Location", "")
    return 300 <= response.status_code < 400 and location.startswith(
        "/login?next="
    )


# --- who may come in ---------------------------------------------------------


def test_the_admin_site_is_for_admins(app, site):
    assert site.bob.get("/admin/").status_code == 200
    assert site.alice.get("/admin/").status_code == 403
    assert site.erin.get("/admin/").status_code == 403
    response = app.test_client().get("/admin/account/")
    assert response.headers["Location"] == "/login?next=%2Fadmin%2Faccount%2F"


def test_a_role_revoked_closes_the_admin_site_at_once(app, site):
    assert site.bob.get("/admin/account/").status_code == 200
    app.test_cli_runner().invoke(args=["roles", "revoke", "bob", "admin"])
    assert site.bob.get("/admin/account/").status_code == 403


def rules(app):
    """Each rule of the URL map under /admin/, but the static files."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and rule.endpoint != "admin.static":
            yield rule


def requests(app, browser):
    """Each (method, URL, form) the admin site's rules take, filled in with
    real ids and a valid CSRF token of ``browser``."""
    ids = {table: sql(app, query)[0]["id"] for table, query in TABLES.items()}
    form = {"csrf_token": token(browser)}
    for rule in rules(app):
        path = rule.rule.replace("<export_type>", "csv")
        table = path.split("/")[2]
        if table in ids:
            path += f"?id={ids[table]}"
            form["id"] = str(ids[table])
        for method in sorted(rule.methods - {"OPTIONS"}):
            yield method, path, dict(form)


def test_every_admin_url_is_closed_to_all_but_admins(app, site):
    visitor = app.test_client()
    tried = 0
    for method, url, form in requests(app, visitor):
        response = visitor.open(url, method=method, data=form)
        assert redirects_to_login(response), (method, url)
        tried += 1
    for browser in [site.erin, site.alice]:
        for method, url, form in requests(app, browser):
            response = browser.open(url, method=method, data=form)
            assert response.status_code == 403, (method, url)
    # 4 tables of 10 rules, and the index; GET, HEAD and POST each.
    assert tried > 4 * 10
    assert sql(app, "SELECT count(*) AS n FROM message")[0]["n"] == 2


def test_no_admin_url_fails_for_an_admin(app, site):
    for method, url, form in requests(app, site.bob):
        response = site.bob.open(url, method=method, data=form)
        assert response.status_code < 500, (method, url)


def test_the_admin_site_files_are_public(app):
    # Flask-Admin's own CSS and scripts, as on any web site: not data.
    response = app.test_client().get("/admin/static/vendor/jquery.min.js")
    assert response.status_code == 200


def test_a_forged_admin_form_is_refused(app, site):
    url = f"/admin/account/edit/?id={site.ids['carol']}"
    response = site.bob.post(url, data={"suspension": "x", "reason": "x"})
    assert response.status_code == 400
    assert account(app, site.ids["carol"])["suspended"] is None
    assert log(app) == []


# --- what an admin sees ------------------------------------------------------


def test_accounts_are_listed_searched_and_filtered(app, site):
    text = Page(site.bob.get("/admin/account/").text).text()
    assert "carol@example.com" in text and "erin" in text
    found = Page(site.bob.get("/admin/account/?search=caro").text).text()
    assert "carol@example.com" in found and "erin@example.com" not in found
    sql(app, "UPDATE account SET suspended = 'Spam.' WHERE id = :id",
        id=site.ids["carol"])  # fmt: skip
    url = "/admin/account/?flt0_suspended_empty=0"
    suspended = Page(site.bob.get(url).text).text()
    assert "carol@example.com" in suspended
    assert "erin@example.com" not in suspended


def test_no_password_hash_nor_session_token_is_shown(app, site):
    row = account(app, site.ids["carol"])
    for url in [
        "/admin/account/",
        f"/admin/account/details/?id={row['id']}",
        f"/admin/account/edit/?id={row['id']}",
    ]:
        page = site.bob.get(url).text
        assert row["pw_hash"] not in page
        assert row["session_token"] not in page
        assert "pw_hash" not in page and "session_token" not in page


def test_the_account_page_shows_its_roles(site):
    url = f"/admin/account/details/?id={site.ids['alice']}"
    assert "moderator" in Page(site.bob.get(url).text).text()


def test_messages_are_searched_and_filtered_by_author(app, site):
    post(site.erin, "Something else")
    found = Page(site.bob.get("/admin/message/?search=rude").text).text()
    assert "Something rude" in found and "Something else" not in found
    url = "/admin/message/?flt0_author_equals=erin"
    found = Page(site.bob.get(url).text).text()
    assert "Something else" in found and "Something rude" not in found


def test_a_list_shows_one_page_of_rows(app, site):
    for number in range(25):
        post(site.erin, f"Message {number}")
    text = Page(site.bob.get("/admin/message/").text).text()
    assert "Message 24" in text and "Message 5" in text
    assert "Message 4" not in text  # 20 a page, newest first


def test_reports_and_the_audit_log_are_read_only(app, site):
    assert "Rude." in Page(site.bob.get("/admin/report/").text).text()
    text = Page(site.bob.get("/admin/audit_log/").text).text()
    assert "hide" in text and "Rule 1." in text
    (entry,) = sql(app, "SELECT id FROM audit_log WHERE action = 'hide'")
    for table, row in [("audit_log", entry["id"]), ("report", 1)]:
        page = Page(site.bob.get(f"/admin/{table}/").text)
        assert f"/admin/{table}/edit/" not in " ".join(page.hrefs())
        form = {"id": row, "csrf_token": token(site.bob)}
        site.bob.post(f"/admin/{table}/delete/", data=form)
        form["reason"] = "Gone."
        site.bob.post(f"/admin/{table}/edit/?id={row}", data=form)
    assert len(sql(app, "SELECT * FROM audit_log")) == 1
    assert len(sql(app, "SELECT * FROM report")) == 1


# --- what an admin changes, and the log of it --------------------------------


@pytest.mark.step(40)
def test_an_edit_without_a_reason_changes_nothing(app, site):
    response = edit(site.bob, "account", site.ids["erin"], roles="moderator")
    assert response.status_code == 200
    assert "reason" in Page(response.text).fields()
    assert log(app) == []
    assert site.erin.get("/moderation/").status_code == 403


@pytest.mark.step(40)
def test_an_admin_grants_and_revokes_roles(app, site):
    erin = site.ids["erin"]
    response = edit(site.bob, "account", erin, roles=["moderator", "admin"],
                    confirmed="y", reason="Helps a lot.")  # fmt: skip
    assert response.headers["Location"] == "/admin/account/"
    assert site.erin.get("/moderation/").status_code == 200
    assert site.erin.get("/admin/").status_code == 200
    edit(site.bob, "account", erin, roles="moderator", confirmed="y",
         reason="Too much.")  # fmt: skip
    assert site.erin.get("/admin/").status_code == 403
    assert log(app) == [
        ("admin: grant admin", erin, "Helps a lot."),
        ("admin: grant moderator", erin, "Helps a lot."),
        ("admin: revoke admin", erin, "Too much."),
    ]


@pytest.mark.step(40)
def test_an_admin_cannot_suspend_or_demote_themselves(app, site):
    bob = site.ids["bob"]
    edit(site.bob, "account", bob, reason="Oops.")
    edit(site.bob, "account", bob, roles="admin", suspension="x", reason="?")
    assert site.bob.get("/admin/").status_code == 200
    assert log(app) == []


@pytest.mark.step(40)
def test_an_admin_confirms_and_unconfirms_an_address(app, site):
    erin = site.ids["erin"]
    edit(site.bob, "account", erin, reason="Bounced.")
    assert account(app, erin)["confirmed_at"] is None
    edit(site.bob, "account", erin, confirmed="y", reason="Checked.")
    assert account(app, erin)["confirmed_at"] is not None
    assert [entry[0] for entry in log(app)] == [
        "admin: unconfirm",
        "admin: confirm",
    ]


@pytest.mark.step(40)
def test_a_suspension_in_the_admin_ends_sessions_and_hides(app, site):
    carol = site.ids["carol"]
    edit(site.bob, "account", carol, confirmed="y", suspension="Spam.",
         reason="Rule 2.")  # fmt: skip
    assert account(app, carol)["suspended"] == "Spam."
    assert redirects_to_login(site.carol.get("/settings/avatar"))
    assert "Something rude" not in Page(site.bob.get("/public").text).text()
    edit(site.bob, "account", carol, confirmed="y", suspension="Spam!",
         reason="Typo.")  # fmt: skip
    assert account(app, carol)["suspended"] == "Spam!"
    edit(site.bob, "account", carol, confirmed="y", reason="Appeal.")
    assert account(app, carol)["suspended"] is None
    assert "Something rude" in Page(site.bob.get("/public").text).text()
    assert log(app) == [
        ("admin: suspend", carol, "Rule 2."),
        ("admin: edit suspension", carol, "Typo."),
        ("admin: restore account", carol, "Appeal."),
    ]


@pytest.mark.step(40)
def test_an_admin_hides_restores_and_deletes_a_message(app, site):
    carol, message = site.ids["carol"], site.message
    with recorded_mail() as outbox:
        edit(site.bob, "message", message, hide="y", reason="Rule 1.")
    (mail,) = outbox
    assert mail.recipients == ["carol@example.com"] and "Rule 1." in mail.body
    assert sql(app, "SELECT resolved FROM report") == [{"resolved": 1}]
    assert "Something rude" not in Page(site.bob.get("/public").text).text()
    edit(site.bob, "message", message, hide="y", reason="Again.")
    edit(site.bob, "message", message, reason="Fine after all.")
    assert "Something rude" in Page(site.bob.get("/public").text).text()
    page = Page(site.bob.get("/admin/message/").text)
    (form,) = [
        form
        for form in page.forms
        if form["form"].get("action") == "/admin/message/delete/"
        and form["id"]["value"] == str(message)
    ]
    assert "csrf_token" in form
    data = {name: attrs.get("value", "") for name, attrs in form.items()}
    response = site.bob.post("/admin/message/delete/", data=data)
    assert response.headers["Location"].startswith("/admin/message/")
    assert sql(app, "SELECT id FROM message WHERE text LIKE '%rude'") == []
    assert log(app) == [
        ("admin: hide", carol, "Rule 1."),
        ("admin: restore", carol, "Fine after all."),
        ("admin: delete message", carol, "Deleted in the admin site."),
    ]


@pytest.mark.step(40)
def test_a_suspended_authors_message_is_restored_with_them(app, site):
    edit(site.bob, "account", site.ids["carol"], confirmed="y",
         suspension="Spam.", reason="Rule 2.")  # fmt: skip
    edit(site.bob, "message", site.message, hide="y", reason="Rule 1.")
    assert [entry[0] for entry in log(app)] == ["admin: suspend"]


# --- under the Content-Security-Policy ---------------------------------------


class Markup(HTMLParser):
    """The scripts, event handler attributes and javascript: URLs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.scripts: list[dict[str, str]] = []
        self.inline: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        """Note each script and each attribute that runs code."""
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.scripts.append(values)
        for name, value in values.items():
            if name.startswith("on") or value.strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}={value!r}>")


def admin_pages(app, edit_pages: bool):
    """Every page of the admin site: its index, each list and details
    page, and (``edit_pages``) the edit pages."""
    yield "/admin/"
    for table, query in TABLES.items():
        row_id = sql(app, query)[0]["id"]
        yield f"/admin/{table}/"
        yield f"/admin/{table}/details/?id={row_id}"
        if edit_pages and table in ("account", "message"):
            yield f"/admin/{table}/edit/?id={row_id}"


@pytest.mark.step(39)
@pytest.mark.parametrize(
    "edit_pages", [False, pytest.param(True, marks=pytest.mark.step(40))]
)
def test_no_page_runs_inline_code(app, site, edit_pages):
    for url in admin_pages(app, edit_pages):
        response = site.bob.get(url)
        assert response.status_code == 200, url
        policy = response.headers["Content-Security-Policy"]
        assert "unsafe" not in policy
        (nonce,) = re.findall(r"script-src 'self' 'nonce-([^']+)'", policy)
        markup = Markup(response.text)
        assert markup.inline == [], url
        assert markup.scripts
        for script in markup.scripts:
            assert script["nonce"] == nonce
            assert urlsplit(script["src"]).netloc == ""
    other = site.bob.get("/public").headers["Content-Security-Policy"]
    assert "nonce" not in other


@pytest.mark.step(39)
def test_each_page_has_a_nonce_of_its_own(app):
    from minitwit.admin import csp_nonce

    with app.test_request_context("/admin/"):
        assert csp_nonce() == csp_nonce()
        first = csp_nonce()
    with app.test_request_context("/admin/"):
        assert csp_nonce() != first


@pytest.mark.step(40)
def test_the_delete_button_asks_first(site):
    page = Page(site.bob.get("/admin/message/").text)
    form = page.form_to("/admin/message/delete/")
    assert form is not None and form["form"].get("data-confirm")
