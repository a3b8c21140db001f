"""``/<username>`` next to ``/login``: the URL part that is a user's name.

The user pages live at the top level, like the old minitwit, so every route's
first path segment (``login``, ``public``, ``static``...) can never be a
username. :func:`reserved_names` reads them from the app's URL map, so a
route added later is reserved without anyone remembering to.
"""

from __future__ import annotations

from werkzeug.routing import BaseConverter, Map, ValidationError


def reserved_names(url_map: Map) -> set[str]:
    """The first path segments of the app's own routes, lower-cased."""
    names = set()
    for rule in url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            names.add(first.lower())
    return names


class UsernameConverter(BaseConverter):
    """``<username:name>``: one path segment that is not the name of a route.

    Without it, ``GET /logout`` would match ``/<username>`` and answer "no
    such user" (404) instead of "use POST" (405): the converter refusing the
    value makes Werkzeug skip that rule.
    """

    def to_python(self, value: str) -> str:
        """Accept ``value`` unless a route of the app starts with it."""
        if value.lower() in reserved_names(self.map):
            raise ValidationError
        return value
