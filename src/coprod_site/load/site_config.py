"""Load content/site.yml into a `SiteConfig`: the library's name, address, review policy and map."""

from __future__ import annotations

from pathlib import PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.load.cms_settings import read_cms_settings
from coprod_site.load.documents import ContentRoot, Document, read_document
from coprod_site.model import MapSpec, SiteConfig, schemas

SITE_FILE = PurePosixPath("site.yml")


def load_config(root: ContentRoot, diagnostics: Diagnostics) -> SiteConfig | None:
    if not (root.path / SITE_FILE).is_file():
        diagnostics.error(Where(f"{root.display}/{SITE_FILE}"), "file", "is missing",
                          "add site.yml with title, description and base_url")
        return None
    document = read_document(root, SITE_FILE, schemas.SITE_FIELDS, diagnostics)
    if document is None:
        return None
    values = document.fields.values
    base_url: str | None = values.get("base_url")
    if base_url is not None and not base_url.startswith("https://"):
        diagnostics.error(document.fields.where(document.path, "base_url"), "base_url",
                          "must start with https://", "the published site's full https address")
        return None
    months = values.get("review_months", 24)
    if not 1 <= months <= 120:
        diagnostics.error(document.fields.where(document.path, "review_months"), "review_months",
                          f"{months} is outside 1 to 120",
                          "records are usually reviewed every 12 to 36 months")
        return None
    if not {"title", "description"} <= values.keys() or base_url is None:
        return None
    return SiteConfig(
        title=values["title"], description=values["description"],
        base_url=base_url.rstrip("/") + "/", language=values.get("language", "en-GB"),
        review_months=months, intro=values.get("intro", ""),
        source=document.path, evidence_map=_map_spec(values.get("evidence_map"), document, diagnostics),
        cms=read_cms_settings(values.get("cms"), document.fields.where(document.path, "cms"), diagnostics),
    )


def _map_spec(labels: dict[str, str] | None, document: Document, diagnostics: Diagnostics) -> MapSpec | None:
    if labels is None:
        return None
    where = document.fields.where(document.path, "evidence_map")
    unknown = sorted(set(labels) - {"rows", "columns", "filter"})
    if unknown or not {"rows", "columns"} <= labels.keys():
        diagnostics.error(where, "evidence_map",
                          "needs rows and columns (and optionally filter), nothing else",
                          "for example:\n  evidence_map:\n    rows: principles\n    columns: benefits")
        return None
    return MapSpec(labels["rows"], labels["columns"], labels.get("filter", ""), where.line)
