"""The CMS page at /admin/: the view of the page that loads Decap CMS.

The page loads the pinned Decap script with its integrity hash, registers the record format
(`assets/cms-record-format.js`), a preview in the record page's markup (`assets/cms-preview.js`)
and the site's own stylesheet for previews, then starts the CMS, which reads config.yml beside
the page (`render.text_files.admin_config_file`).
"""

from __future__ import annotations

from dataclasses import dataclass

from coprod_site.formats import DECAP_SCRIPT_INTEGRITY, DECAP_SCRIPT_URL
from coprod_site.model import Output, urls
from coprod_site.views.context import ViewContext


@dataclass(frozen=True, slots=True)
class AdminPage:
    """What admin.html needs: the site's name and language, and the scripts and styles to load."""

    title: str
    language: str
    decap_script: str
    decap_integrity: str
    format_script: str
    preview_script: str
    stylesheet: str


def admin_page(context: ViewContext, output: Output) -> AdminPage:
    """admin/index.html: the page that starts the CMS."""
    config = context.site.config
    return AdminPage(
        title=f"Edit evidence: {config.title}", language=config.language,
        decap_script=DECAP_SCRIPT_URL, decap_integrity=DECAP_SCRIPT_INTEGRITY,
        format_script=urls.relative(output.url, urls.ASSETS_URL + "cms-record-format.js"),
        preview_script=urls.relative(output.url, urls.ASSETS_URL + "cms-preview.js"),
        stylesheet=urls.relative(output.url, urls.ASSETS_URL + "site.css"),
    )
