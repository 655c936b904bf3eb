"""Views: the plain, purpose-built objects each template receives, one function per page kind.

- `types`: the view dataclasses (the template contract).
- `context`: `ViewContext`, handed to every view function: the site, the Markdown renderer, the
  plan, and the parts many pages share (layout, list items, term counts, citation links).
- `browse`: home, the evidence list, taxonomies, terms, prose pages, search and 404.
- `record`, `map_pages`, `data_page`: the record page, the evidence map and its cells, open data.
- `admin`: the page that starts the CMS at /admin/.
- `feeds`: the Atom feeds and the sitemap; `search_data`: what the search index knows of a record.

Imports `model`, `formats` and `markdown`; never `load` or `render`.
"""

from coprod_site.views.admin import AdminPage, admin_page
from coprod_site.views.browse import (
    evidence_list_page,
    home_page,
    not_found_page,
    prose_page,
    search_page,
    taxonomy_page,
    term_page,
)
from coprod_site.views.context import ViewContext
from coprod_site.views.data_page import data_page
from coprod_site.views.feeds import FeedView, RobotsView, feed_view, robots_view, sitemap_view
from coprod_site.views.map_pages import map_cell_page, map_page
from coprod_site.views.record import record_page

__all__ = [
    "AdminPage", "FeedView", "RobotsView", "ViewContext", "admin_page", "data_page", "evidence_list_page",
    "feed_view", "home_page", "map_cell_page", "map_page", "not_found_page", "prose_page", "record_page",
    "robots_view", "search_page", "sitemap_view", "taxonomy_page", "term_page",
]
