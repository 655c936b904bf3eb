"""Check: the `check` command, `load` plus link checks; it writes nothing.

- `content`: `check_content`, every problem of the content and, on request, of its links.
- `internal_links`: every link and `#fragment` of a built site, offline.
- `external_links`: every address the content cites, fetched politely with a cache.
- `lychee`: running the lychee link checker.

Imports `load`, `model` and `markdown`; never `render` or `views`.
"""

from coprod_site.check.content import DEFAULT_CACHE, LinkOptions, check_content

__all__ = ["DEFAULT_CACHE", "LinkOptions", "check_content"]
