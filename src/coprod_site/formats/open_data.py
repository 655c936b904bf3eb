"""Open data: the library as JSON (terms resolved), CSV and the JSON Schema of a data record.

The JSON and the CSV carry the same records and the same version string, which is derived
from the content itself (the newest change date and a digest), so every build of the same
content publishes the same version and any change publishes a new one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from coprod_site.formats.json_text import json_compact, json_document_of_texts
from coprod_site.model import Record, Site, record_json_schema, urls

LIST_SEPARATOR = " | "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def data_record(site: Site, record: Record) -> dict[str, Any]:
    """One record as open data: its fields, its terms with names and pages, its page address."""
    base = site.config.base_url
    item: dict[str, Any] = {
        "id": record.id, "page": urls.absolute(base, urls.record_url(record.id)), "title": record.title,
        "year": record.year, "url": record.url, "summary": record.summary, "findings": list(record.findings),
        "added": record.added.isoformat(),
    }
    optional = {"published": record.published.isoformat() if record.published else None,
                "authors": list(record.authors) or None,
                "reviewed": record.reviewed.isoformat() if record.reviewed else None,
                "coproduced": record.coproduced}
    item |= {name: value for name, value in optional.items() if value is not None}
    for taxonomy in site.taxonomies:
        item[taxonomy.id] = [
            {"id": term_id, "name": taxonomy.term(term_id).name,
             "page": urls.absolute(base, urls.term_url(taxonomy.id, term_id))}
            for term_id in record.terms.get(taxonomy.id, ())
        ]
    return item


class OpenData:
    """The library as open data, computed once per build: the version, then the JSON and CSV.

    Each record is kept as its JSON line and its CSV row, not as nested dicts: at 50,000 records
    the dicts alone would take hundreds of megabytes."""

    def __init__(self, site: Site) -> None:
        self.site = site
        columns = csv_columns(site)
        self.lines: list[str] = []
        self.rows: list[list[str]] = []
        for record in site.records:
            item = data_record(site, record)
            self.lines.append(json_compact(item))
            self.rows.append([_safe_cell(_cell(item.get(column))) for column in columns[:-1]])
        digest = hashlib.sha256("\n".join(self.lines).encode()).hexdigest()[:12]
        newest = max((record.last_changed for record in site.records), default=None)
        self.version = f"{newest.isoformat() if newest else 'empty'}.{digest}"

    def json(self) -> str:
        """Every record with its terms resolved, with the library's name, version and schema."""
        fields = {"name": self.site.config.title, "version": self.version,
                  "schema": urls.absolute(self.site.config.base_url, urls.DATA_SCHEMA_URL)}
        return json_document_of_texts(fields, items_key="records", texts=self.lines)

    def csv(self) -> str:
        """One row per record; list fields joined with ' | ' (term names), formula cells neutralised."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(csv_columns(self.site))
        version = _safe_cell(self.version)
        writer.writerows([*row, version] for row in self.rows)
        return buffer.getvalue()

    def schema(self) -> str:
        """The JSON Schema of one record of the JSON."""
        return data_record_schema(self.site)


def _safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP: prefix with a quote)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_columns(site: Site) -> list[str]:
    """The CSV's columns, in order."""
    return ["id", "title", "year", "published", "url", "authors", "summary", "findings",
            *(taxonomy.id for taxonomy in site.taxonomies), "added", "reviewed", "coproduced", "page",
            "version"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def data_record_schema(site: Site) -> str:
    """The JSON Schema of one item of evidence.json, derived from the record's field list."""
    schema = record_json_schema(site.taxonomies)
    properties: dict[str, Any] = schema["properties"]
    schema["title"] = "Evidence record (open data)"
    schema["description"] = "One item of the records array of evidence.json."
    properties["year"] = {"type": ["integer", "null"], "description": "Year of publication; null if unknown."}
    properties["id"] = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                        "description": "Record id."}
    properties["page"] = {"type": "string", "format": "uri", "description": "The record's page."}
    for taxonomy in site.taxonomies:
        term = {"type": "object", "additionalProperties": False, "required": ["id", "name", "page"],
                "properties": {"id": {"enum": [t.id for t in taxonomy.terms]}, "name": {"type": "string"},
                               "page": {"type": "string", "format": "uri"}}}
        properties[taxonomy.id] = {"type": "array", "items": term, "description": taxonomy.description}
    schema["required"] = sorted({*schema["required"], "id", "page", *(t.id for t in site.taxonomies)})
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
