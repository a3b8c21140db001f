"""Read a page as its visitor does: the text shown, the links, the forms.

A test that reads a page through ``Page`` checks what the page shows, not
how its HTML is written: any tags, classes, ids or attribute order will do.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements whose content the visitor does not see.
UNSEEN = {"head", "script", "style", "template"}


class Page(HTMLParser):
    """A page's texts, links, pictures, form fields and times, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()  # convert_charrefs: "&lt;" reads as "<"
        self.unseen = 0
        #: Each text shown, its spaces and line breaks made single spaces.
        self.texts: list[str] = []
        #: The attributes of each link (``<a>``).
        self.links: list[dict[str, str]] = []
        #: The attributes of each picture (``<img>``).
        self.images: list[dict[str, str]] = []
        #: Each form: {"form": its attributes, field name: its attributes};
        #: a textarea's text is its "text".
        self.forms: list[dict[str, dict[str, str]]] = []
        #: Each ``<time>``: its ``datetime`` and the text shown.
        self.times: list[tuple[str, str]] = []
        self.open: dict[str, str] | None = None  # a textarea or a time
        self.feed(html)
        self.close()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        """Note links, pictures, forms, fields and times; count the unseen."""
        values = {name: value or "" for name, value in attrs}
        if tag in UNSEEN:
            self.unseen += 1
        elif tag == "a":
            self.links.append(values)
        elif tag == "img":
            self.images.append(values)
        elif tag == "form":
            self.forms.append({"form": values})
        elif tag in {"input", "textarea", "select", "button"}:
            if self.forms and "name" in values:
                self.forms[-1][values["name"]] = values
            if tag == "textarea":
                self.open = values
                values["text"] = ""
        elif tag == "time":
            self.open = {"datetime": values.get("datetime", ""), "text": ""}

    def handle_endtag(self, tag: str) -> None:
        """Close an unseen element, a textarea or a time."""
        if tag in UNSEEN:
            self.unseen -= 1
        elif tag == "time" and self.open is not None:
            text = " ".join(self.open["text"].split())
            self.times.append((self.open["datetime"], text))
        if tag in {"textarea", "time"}:
            self.open = None

    def handle_data(self, data: str) -> None:
        """Keep each text the visitor sees."""
        if self.open is not None:
            self.open["text"] += data
        text = " ".join(data.split())
        if text and not self.unseen:
            self.texts.append(text)

    def text(self) -> str:
        """All the text shown, one space between texts."""
        return " ".join(self.texts)

    def hrefs(self) -> list[str]:
        """Where the page's links lead."""
        return [link["href"] for link in self.links if "href" in link]

    def link(self, rel: str) -> str | None:
        """Where the link with ``rel`` (next, prev) leads, if there is one."""
        for link in self.links:
            if rel in link.get("rel", "").split():
                return link.get("href")
        return None

    def fields(self) -> set[str]:
        """The names of the fields of all the page's forms."""
        return {name for form in self.forms for name in form} - {"form"}

    def form_to(self, action: str) -> dict[str, dict[str, str]] | None:
        """The form that posts to ``action``, if the page has one."""
        for form in self.forms:
            if form["form"].get("action") == action:
                return form
        return None

    def form_with(self, field: str) -> dict[str, dict[str, str]]:
        """The one form with ``field``: its attributes and its fields'."""
        (form,) = [form for form in self.forms if field in form]
        return form
