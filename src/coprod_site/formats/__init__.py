"""Formats: the library written in other people's formats, from the site model alone.

- `citation`: references (APA, Harvard) and citation files (RIS, BibTeX, CSL-JSON).
- `open_data`: the library as JSON and CSV, with the JSON Schema of a data record.
- `cms_config`: the CMS's configuration (Decap), from the record fields and taxonomies.
- `json_text`: JSON text that is compact, deterministic and safe inside a page.

Imports only `model`.
"""

from coprod_site.formats.citation import (
    Formatted,
    Reference,
    apa,
    citation_entry,
    harvard,
    join_entries,
    record_reference,
)
from coprod_site.formats.cms_config import (
    DECAP_SCRIPT_INTEGRITY,
    DECAP_SCRIPT_URL,
    LOCAL_BACKEND_PORT,
    admin_config,
    config_yaml,
)
from coprod_site.formats.json_text import script_json
from coprod_site.formats.open_data import OpenData

__all__ = [
    "DECAP_SCRIPT_INTEGRITY",
    "DECAP_SCRIPT_URL",
    "LOCAL_BACKEND_PORT",
    "Formatted",
    "OpenData",
    "Reference",
    "admin_config",
    "apa",
    "citation_entry",
    "config_yaml",
    "harvard",
    "join_entries",
    "record_reference",
    "script_json",
]
