"""Read a page as its visitor does: the text shown, the links, the forms.

A test that reads a page through these checks what the page shows, not
how its HTML is written: any tags, classes, ids or attribute order will do.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements whose content the visitor does not see.
UNSEEN = {"head", "script", "style", "template"}
#: Elements that hold a form field's value.
FIELDS = {"input", "textarea", "select"}


class Page(HTMLParser):
    """A page's texts, links, times and form fields, in the order shown."""

    def __init__(self, html: str) -> None:
        super().__init__()  # convert_charrefs: "&lt;" reads as "<"
        self.unseen = 0
        #: Each text shown, its spaces and line breaks made single spaces.
        self.texts: list[str] = []
        #: The attributes of each link (``<a>``).
        self.links: list[dict[str, str]] = []
        #: Each form: {"form": its attributes, field name: its attributes}.
        self.forms: list[dict[str, dict[str, str]]] = []
        #: Each ``<time>``: its ``datetime`` and the text shown.
        self.times: list[tuple[str | None, str]] = []
        #: Every tag and text, in order: ("field", name), ("text", text)...
        self.events: list[tuple[str, str]] = []
        self.textarea: dict[str, str] | None = None
        self.time: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        """Note links, forms, fields and times; count unseen elements."""
        values = {name: value or "" for name, value in attrs}
        if tag in UNSEEN:
            self.unseen += 1
        elif tag == "a":
            self.links.append(values)
        elif tag == "form":
            self.forms.append({"form": values})
        elif tag in FIELDS and "name" in values:
            if self.forms:
                self.forms[-1][values["name"]] = values
            if values.get("type") != "hidden":
                self.events.append(("field", values["name"]))
                if tag == "textarea":
                    self.textarea = values
                    values["text"] = ""
                return
        elif tag == "time":
            self.time = [values.get("datetime") or "", ""]
        self.events.append(("tag", tag))

    def handle_endtag(self, tag: str) -> None:
        """Close an unseen element, a textarea or a time."""
        if tag in UNSEEN:
            self.unseen -= 1
        elif tag == "textarea":
            self.textarea = None
        elif tag == "time" and self.time:
            self.times.append((self.time[0], " ".join(self.time[1].split())))
            self.time = None

    def handle_data(self, data: str) -> None:
        """Keep each text the visitor sees."""
        if self.textarea is not None:
            self.textarea["text"] += data
        if self.time is not None:
            self.time[1] += data
        text = " ".join(data.split())
        if text and not self.unseen:
            self.texts.append(text)
            kind = "value" if self.textarea is not None else "text"
            self.events.append((kind, text))

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

    def form_with(self, field: str) -> dict[str, dict[str, str]]:
        """The one form with ``field``: its attributes and its fields'."""
        (form,) = [form for form in self.forms if field in form]
        return form

    def new_texts(self, blank: Page) -> list[str]:
        """The texts this page shows that ``blank`` (the same page before
        the form was sent) does not: its errors and messages."""
        before = set(blank.texts)
        return [
            text
            for kind, text in self.events
            if kind == "text" and text not in before
        ]

    def fields_with_errors(self, blank: Page) -> set[str]:
        """The fields that a new text (an error) is shown nearest to."""
        return {
            field
            for text in self.new_texts(blank)
            if (field := self.field_by(text)) is not None
        }

    def field_by(self, message: str) -> str | None:
        """The field shown nearest ``message``, or None if it is not shown.

        Nearest counts the tags and texts in between, so a message just
        before or after its field, in any markup, belongs to that field.
        """
        message = " ".join(message.split())
        fields = [
            (index, name)
            for index, (kind, name) in enumerate(self.events)
            if kind == "field"
        ]
        for index, (kind, text) in enumerate(self.events):
            if kind == "text" and message in text and fields:
                return min(fields, key=lambda f: abs(f[0] - index))[1]
        return None
