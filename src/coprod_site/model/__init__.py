"""The site model: what every phase reads, and nothing that reads or writes files.

- `site`: the frozen `Site` and its parts (`Record`, `Taxonomy`, `Term`, `Page`, `SiteConfig`).
- `fields` and `schemas`: the field declarations of every content file, declared once.
- `new_record`: a new record's text, every field under a comment (`new`, the contribute page).
- `json_schema`: the JSON Schemas of a record (as written, and as read), derived from those declarations.
- `urls`: ids, URLs and output paths, computed with one rule.
- `plan`: the output plan, every file of the built site with its kind and typed subject.
- `evidence_map` and `dates`: rules about the map's cells and about dates.
- `listing`: long lists in pages and the orders of the library; `related`: each record's related records.

Imports only `diagnostics` from the ground floor; every other phase imports it through here.
"""

from coprod_site.model import schemas, urls
from coprod_site.model.dates import add_months, long_date
from coprod_site.model.evidence_map import (
    MapAxes,
    filter_terms,
    map_axes,
    map_cells,
    non_empty_cells,
    ordered_columns,
    records_in,
)
from coprod_site.model.fields import UNKNOWN_YEAR, Field, FieldKind
from coprod_site.model.json_schema import front_matter_json_schema, record_json_schema
from coprod_site.model.listing import PAGE_SIZE, EvidenceOrder, page_count, page_slice
from coprod_site.model.new_record import new_record_text
from coprod_site.model.plan import (
    BUILT_IN,
    CellRef,
    CitationsOf,
    EvidenceList,
    MapRef,
    Output,
    OutputKind,
    Paged,
    PageRef,
    RecordRef,
    SearchBundles,
    Subject,
    TaxonomyRef,
    TermRef,
    plan_outputs,
    records_of,
    searchable_count,
)
from coprod_site.model.related import related_records
from coprod_site.model.site import (
    PUBLISHER_ROLE,
    UNDATED,
    CmsSettings,
    MapSpec,
    Page,
    Record,
    Site,
    SiteConfig,
    Taxonomy,
    Term,
)
from coprod_site.model.urls import SLUG, is_web_url, slug_hint

__all__ = [
    "BUILT_IN",
    "PAGE_SIZE",
    "PUBLISHER_ROLE",
    "SLUG",
    "UNDATED",
    "UNKNOWN_YEAR",
    "CellRef",
    "CitationsOf",
    "CmsSettings",
    "EvidenceList",
    "EvidenceOrder",
    "Field",
    "FieldKind",
    "MapAxes",
    "MapRef",
    "MapSpec",
    "Output",
    "OutputKind",
    "Page",
    "PageRef",
    "Paged",
    "Record",
    "RecordRef",
    "SearchBundles",
    "Site",
    "SiteConfig",
    "Subject",
    "Taxonomy",
    "TaxonomyRef",
    "Term",
    "TermRef",
    "add_months",
    "filter_terms",
    "front_matter_json_schema",
    "is_web_url",
    "long_date",
    "map_axes",
    "map_cells",
    "new_record_text",
    "non_empty_cells",
    "ordered_columns",
    "page_count",
    "page_slice",
    "plan_outputs",
    "record_json_schema",
    "records_in",
    "records_of",
    "related_records",
    "schemas",
    "searchable_count",
    "slug_hint",
    "urls",
]
