"""Formats: the library written in other people's formats, from the site model alone.

- `citation`: references (APA, Harvard) and citation files (RIS, BibTeX, CSL-JSON).
- `open_data`: the library as JSON and CSV, with the JSON Schema of a data record.
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
from coprod_site.formats.json_text import script_json
from coprod_site.formats.open_data import OpenData

__all__ = [
    "Formatted", "OpenData", "Reference", "apa", "citation_entry", "harvard", "join_entries",
    "record_reference", "script_json",
]
