"""Exercise 1: who follows a user, at ``/<username>/followers``."""

from html.parser import HTMLParser

from conftest import AuthActions

from showcase.testing import submit_form


class Links(HTMLParser):
    """The links of a page: each one's href, and the next page's."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.next: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        """Keep the href of each link, and of the one with rel="next"."""
        fields = dict(attrs)
        if tag == "a" and fields.get("href"):
            self.hrefs.append(fields["href"])
            if "next" in (fields.get("rel") or "").split():
                self.next = fields["href"]


def sign_up(app, name):
    """A new browser, signed up and confirmed as ``name``."""
    browser = app.test_client()
    AuthActions(browser).signup(name)
    return browser


def follow(browser, whom):
    """Press the Follow button on ``whom``'s page."""
    response = submit_form(browser, f"/{whom}/follow", form_url=f"/{whom}")
    assert response.location == f"/{whom}"


def followers_shown(client, url="/alice/followers"):
    """The user pages the followers page links to, in order."""
    response = client.get(url)
    assert response.status_code == 200
    links = Links(response.get_data(as_text=True))
    names = ("bob", "carol", "dave", "erin")
    # Each name once, even if both a picture and a name link to a page.
    shown = dict.fromkeys(h[1:] for h in links.hrefs if h[1:] in names)
    return list(shown), links


def test_followers_are_listed(app, client):
    """Each follower is listed, with a link to their page."""
    sign_up(app, "alice")
    follow(sign_up(app, "bob"), "alice")
    follow(sign_up(app, "carol"), "alice")
    shown, _ = followers_shown(client)
    assert shown == ["bob", "carol"]


def test_only_followers_are_listed(app, client):
    """Whom alice follows, and who follows someone else, are not listed."""
    alice = sign_up(app, "alice")
    follow(sign_up(app, "bob"), "alice")
    sign_up(app, "carol")
    follow(alice, "carol")
    follow(sign_up(app, "dave"), "carol")
    shown, _ = followers_shown(client)
    assert shown == ["bob"]


def test_no_followers_yet(app, client):
    """A user nobody follows has a page too, with nobody on it."""
    sign_up(app, "alice")
    shown, _ = followers_shown(client)
    assert shown == []


def test_unknown_user_is_404(client):
    """There is no followers page for a user who does not exist."""
    assert client.get("/nobody/followers").status_code == 404


def test_unfollowing_removes_a_follower(app, client):
    """Someone who unfollowed is no longer listed."""
    sign_up(app, "alice")
    bob = sign_up(app, "bob")
    follow(bob, "alice")
    submit_form(bob, "/alice/unfollow", form_url="/alice")
    shown, _ = followers_shown(client)
    assert shown == []


def test_a_page_at_a_time(app, client):
    """``PER_PAGE`` followers per page; rel="next" links to the rest."""
    sign_up(app, "alice")
    for name in ("bob", "carol", "dave", "erin"):
        follow(sign_up(app, name), "alice")
    app.config["PER_PAGE"] = 3
    shown, links = followers_shown(client)
    assert shown == ["bob", "carol", "dave"]
    assert links.next is not None
    assert links.next.startswith("/alice/followers?")
    shown, links = followers_shown(client, links.next)
    assert shown == ["erin"]
    assert links.next is None


def test_the_last_full_page_has_no_next_link(app, client):
    """Exactly ``PER_PAGE`` followers: one page, no link to an empty one."""
    sign_up(app, "alice")
    for name in ("bob", "carol"):
        follow(sign_up(app, name), "alice")
    app.config["PER_PAGE"] = 2
    shown, links = followers_shown(client)
    assert shown == ["bob", "carol"]
    assert links.next is None


def test_a_bad_page_is_refused(app, client):
    """``?after=`` must be an account id: anything else is a 400."""
    sign_up(app, "alice")
    for after in ("x", "-1", "99999999999999999999999"):
        url = f"/alice/followers?after={after}"
        assert client.get(url).status_code == 400, after


def test_the_user_page_links_to_it(app, client):
    """A user's page links to their followers."""
    sign_up(app, "alice")
    page = Links(client.get("/alice").get_data(as_text=True))
    assert "/alice/followers" in page.hrefs
