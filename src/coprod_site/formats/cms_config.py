"""The CMS at /admin/: Decap CMS, configured from the very fields and taxonomies `check` reads.

`admin_config` turns `schemas.record_fields` into Decap's collection of evidence records, so an
editor fills in a form instead of YAML: every field keeps its label, help text and required flag,
term lists become multi-selects of term names that store term ids, dates are picked as
YYYY-MM-DD, the year is a number or "unknown", authors and findings are lists, the body is
Markdown. Records are read and written by the record format in `assets/cms-record-format.js`,
which keeps every untouched field exactly as it was written.

The optional `cms:` mapping of site.yml names the GitHub repository, its branch and the address
of the OAuth service; `load` validates it. Without it the CMS works only with a
local `decap-server` (see `serve.local_cms`). In both cases `local_backend` is on: Decap uses it
only when the page is opened from localhost and a local server answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import yaml

from coprod_site.model import CmsSettings, Field, FieldKind, Taxonomy, schemas

DECAP_VERSION = "3.16.3"
"""The pinned Decap CMS release; tests/package.json pins the same one."""
DECAP_SCRIPT_URL = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
DECAP_SCRIPT_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
"""Subresource integrity of dist/decap-cms.js in the npm package of `DECAP_VERSION`."""
RECORD_FORMAT = "coprod-record"
"""The name the record format script registers with `CMS.registerCustomFormat`."""
LOCAL_BACKEND_PORT = 8081
"""Where Decap looks for a local decap-server (its own default)."""

_SUMMARY_PATTERN = rf"^\s*(?:\S+\s+){{0,{schemas.MAX_SUMMARY_WORDS - 1}}}\S+\s*$"
_LABELS = {
    "url": "Web address of the source", "published": "Publication date", "added": "Date added",
    "reviewed": "Date last reviewed", "coproduced": "Co-produced evidence",
}
_TEXT_AREAS = frozenset({"summary", "findings"})


def admin_config(taxonomies: Sequence[Taxonomy], *, settings: CmsSettings | None, site_url: str,
                 content_folder: str = "content", local_url: str | None = None) -> dict[str, Any]:
    """Decap's configuration: the backend, the editorial workflow and the evidence collection.

    `content_folder` is the content folder's path from the repository's root; `local_url` is
    where decap-server answers when it is not Decap's default (localhost:8081)."""
    return {
        "backend": _backend(settings),
        "publish_mode": "editorial_workflow",
        "local_backend": {"url": local_url} if local_url else True,
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": "media",  # outside the content folder: records hold no uploads
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_record_collection(taxonomies, content_folder)],
    }


def _backend(settings: CmsSettings | None) -> dict[str, Any]:
    if settings is None:  # no repository named: only a local decap-server can serve the CMS
        return {"name": "proxy", "proxy_url": f"http://localhost:{LOCAL_BACKEND_PORT}/api/v1",
                "branch": "main"}
    backend: dict[str, Any] = {"name": "github", "repo": settings.repo, "branch": settings.branch}
    if settings.auth_url:
        parts = urlsplit(settings.auth_url)
        backend["base_url"] = f"{parts.scheme}://{parts.netloc}"
        backend["auth_endpoint"] = parts.path.lstrip("/") or "auth"
    return backend


def _record_collection(taxonomies: Sequence[Taxonomy], content_folder: str) -> dict[str, Any]:
    by_id = {taxonomy.id: taxonomy for taxonomy in taxonomies}
    fields = [field_widget(spec, by_id.get(spec.name)) for spec in schemas.record_fields(taxonomies)]
    body = {"label": "Text of the record", "name": "body", "widget": "markdown", "required": False,
            "default": "\n".join(schemas.RECORD_BODY_SKELETON),
            "hint": "What the source looked at and what it found, in plain words, with headings."}
    return {
        "name": "evidence", "label": "Evidence records", "label_singular": "Evidence record",
        "description": "Each record summarises one source. Saving opens a pull request; "
                       "the record is published when it is merged.",
        "folder": f"{content_folder}/evidence", "extension": "md", "format": RECORD_FORMAT,
        "create": True, "identifier_field": "title", "slug": "{{title | lower}}",
        "summary": "{{title}} ({{fields.year}})", "sortable_fields": ["title", "year", "added"],
        "fields": [*fields, body],
    }


def field_widget(spec: Field, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The Decap field of one record field: label, help text, required flag and widget."""
    label = taxonomy.name if taxonomy else _LABELS.get(spec.name, spec.name.capitalize())
    hint = _hint(spec, taxonomy)
    widget = _widget(spec, taxonomy)
    if spec.name == "added":  # as `coprod-site new` does: a new record is added today
        widget["default"] = "{{now}}"
    return {"label": label, "name": spec.name, **widget, "required": spec.required, "hint": hint}


def _hint(spec: Field, taxonomy: Taxonomy | None) -> str:
    if taxonomy is not None:
        pick = "Pick one or more." if spec.non_empty else "Pick any that apply."
        return f"{taxonomy.description} {pick}"
    return spec.doc


def _widget(spec: Field, taxonomy: Taxonomy | None) -> dict[str, Any]:
    """The widget and its options for the kind of `spec`."""
    if spec.kind is FieldKind.TERMS:
        terms = taxonomy.terms if taxonomy else ()
        return {"widget": "select", "multiple": True, "min": 1 if spec.non_empty else 0,
                "options": [{"label": term.name, "value": term.id} for term in terms]}
    if spec.kind is FieldKind.TEXT_LIST:
        item = {"label": "Item", "name": "item", "widget": "text" if spec.name in _TEXT_AREAS else "string"}
        return {"widget": "list", "field": item, "allow_add": True, "collapsed": False,
                **({"min": 1} if spec.non_empty else {})}
    simple = _SIMPLE_WIDGETS.get(spec.kind)
    if simple is None:
        raise ValueError(f"record field '{spec.name}' has kind '{spec.kind}', which the CMS cannot edit")
    if spec.name == "summary":
        limit = f"At most {schemas.MAX_SUMMARY_WORDS} words."
        return {"widget": "text", "pattern": [_SUMMARY_PATTERN, limit]}
    return dict(simple)


_DATE_WIDGET = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False, "picker_utc": True}
_SIMPLE_WIDGETS: dict[FieldKind, Mapping[str, Any]] = {
    FieldKind.TEXT: {"widget": "string"},
    FieldKind.YEAR: {"widget": "string",
                "pattern": ["^([0-9]{4}|unknown)$", "A year such as 2022, or unknown."]},
    FieldKind.DATE: _DATE_WIDGET,
    FieldKind.URL: {"widget": "string",
               "pattern": [r"^https?://[^\s/?#]+\S*$", "The full address, starting with https://"]},
    FieldKind.BOOLEAN: {"widget": "boolean"},
}


def config_yaml(config: Mapping[str, Any]) -> str:
    """The configuration as admin/config.yml: YAML, keys in the order given, text as written."""
    header = "# Generated by coprod-site from the record fields and taxonomies: edit those instead.\n"
    return header + yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True, width=1000)
