"""The two files of the CMS at /admin/: the page that loads Decap CMS, and its config.yml.

The page loads the pinned Decap script with its integrity hash, registers the record format
(`assets/cms-record-format.js`), a preview in the record page's markup (`assets/cms-preview.js`)
and the site's own stylesheet for previews, then starts the CMS,
which reads config.yml beside the page. Both files are rendered from the loaded `Site`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from coprod_site import urls
from coprod_site.cms_config import (
    DECAP_SCRIPT_INTEGRITY,
    DECAP_SCRIPT_URL,
    admin_config,
    config_yaml,
)
from coprod_site.cms_settings import CmsSettings
from coprod_site.model import Site, SiteConfig

__all__ = ["AdminPage", "admin_file", "cms_settings"]

ADMIN_TEMPLATE = "admin.html"


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


def cms_settings(config: SiteConfig) -> CmsSettings | None:
    """The validated `cms:` mapping of site.yml, once `load` keeps it as `SiteConfig.cms`."""
    settings = getattr(config, "cms", None)
    return settings if isinstance(settings, CmsSettings) else None


def admin_file(site: Site, url: str, env: jinja2.Environment, render: Callable[..., str]) -> str:
    """The text of admin/index.html or admin/config.yml."""
    if url == urls.ADMIN_CONFIG_URL:
        config = admin_config(site.taxonomies, settings=cms_settings(site.config),
                              site_url=site.config.base_url)
        return config_yaml(config)
    page = AdminPage(
        title=f"Edit evidence: {site.config.title}", language=site.config.language,
        decap_script=DECAP_SCRIPT_URL, decap_integrity=DECAP_SCRIPT_INTEGRITY,
        format_script=urls.relative(urls.ADMIN_URL, urls.ASSETS_URL + "cms-record-format.js"),
        preview_script=urls.relative(urls.ADMIN_URL, urls.ASSETS_URL + "cms-preview.js"),
        stylesheet=urls.relative(urls.ADMIN_URL, urls.ASSETS_URL + "site.css"),
    )
    return render(env, ADMIN_TEMPLATE, admin=page)
