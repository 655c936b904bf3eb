"""The fields of every content file, declared once.

The validator reads files with these lists; `coprod-site schema` and `coprod-site new` are
derived from them too, so the documentation of a field lives in exactly one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from coprod_site.model.fields import Field, FieldKind
from coprod_site.model.site import PUBLISHER_ROLE, Taxonomy

MAX_SUMMARY_WORDS = 60
RECORD_BODY_SKELETON = ("## What the source looked at", "", "", "## Why it matters for co-production", "",
                        "")
"""The headings a new record's body starts with (`coprod-site new` and the CMS)."""
REQUIRED_TAXONOMIES = ("benefits", "methods", "organisations", "principles")

SITE_FIELDS = (
    Field("title", FieldKind.TEXT, "The library's name, shown on every page.", True,
          "Co-production Impact and Evidence"),
    Field("description", FieldKind.TEXT, "One sentence about the library, for search engines.", True,
          "Evidence for co-production in UK health and social care."),
    Field("base_url", FieldKind.URL, "The absolute https address where the site is published.", True,
          "https://example.org/"),
    Field("language", FieldKind.TEXT, "The language of the content (default en-GB).", example="en-GB"),
    Field("review_months", FieldKind.INTEGER,
          "How many months after its last review a record is due for review (default 24).",
          example="24"),
    Field("evidence_map", FieldKind.LABELS,
          "The evidence map: rows, columns and (optional) filter, each a taxonomy id.",
          example="\n  rows: principles\n  columns: benefits\n  filter: methods"),
    Field("intro", FieldKind.TEXT, "Markdown shown on the home page: what co-production is.",
          example="|\n  Co-production means ..."),
    Field("cms", FieldKind.LABELS,
          "Where the CMS at /admin/ saves: repo (owner/name), branch, auth-url (the OAuth sign-in address).",
          example="\n  repo: owner/name\n  branch: main\n  auth-url: https://auth.example.org/auth"),
)

TERM_FIELDS = (
    Field("id", FieldKind.TEXT, "The term's id: lowercase letters, digits and single hyphens.", True,
          "reciprocity"),
    Field("name", FieldKind.TEXT, "The term's name as readers see it.", True, "Reciprocity"),
    Field("description", FieldKind.TEXT, "One or two plain sentences saying what the term means.", True,
          "People get something back for what they put in."),
    Field("group", FieldKind.TEXT, "The id of one of the taxonomy's groups.", example="intrinsic"),
    Field("url", FieldKind.URL, "A web address for the term (organisations have one).",
          example="https://www.scie.org.uk/"),
    Field("aliases", FieldKind.TEXT_LIST,
          "Other names readers search for, such as an acronym; shown on the term's page and searched.",
          example="[NHSE]"),
)

TAXONOMY_FIELDS = (
    Field("name", FieldKind.TEXT, "The taxonomy's name as readers see it.", True, "Principles"),
    Field("description", FieldKind.TEXT, "What the taxonomy is for, in a sentence or two.", True,
          "The principles that make co-production work."),
    Field("required", FieldKind.BOOLEAN, "true if every record must name at least one term.",
          example="true"),
    Field("featured", FieldKind.BOOLEAN, "true to show the terms and their counts on the home page.",
          example="true"),
    Field("order", FieldKind.INTEGER, "Where the taxonomy comes among the others (lowest first).",
          example="1"),
    Field("role", FieldKind.TEXT,
          "publisher for the one taxonomy whose terms publish the records (organisations): "
          "citations, bylines and tags name them.", example="publisher", choices=(PUBLISHER_ROLE,)),
    Field("groups", FieldKind.LABELS, "Optional groups of terms, as id: label.",
          example="intrinsic: Intrinsic benefits"),
    Field("terms", FieldKind.ITEMS, "The terms, each with id, name and description.", True,
          item_fields=TERM_FIELDS, non_empty=True),
)

RECORD_FIELDS = (
    Field("title", FieldKind.TEXT, "The source's own title.", True, "Value of co-production project"),
    Field("year", FieldKind.YEAR,
          "The year the source was published, or unknown if the source gives no date.", True,
          "2022"),
    Field("published", FieldKind.DATE, "The exact publication date, if the source gives one.",
          example="2022-10-27"),
    Field("url", FieldKind.URL, "The address of the original source (http or https).", True,
          "https://example.org/report"),
    Field("authors", FieldKind.TEXT_LIST, "The people named as authors, if any.",
          example="[Dr Jane Smith]"),
    Field("summary", FieldKind.TEXT, f"Plain English, at most {MAX_SUMMARY_WORDS} words.", True,
          '"What the source is and what it found, in plain words."'),
    Field("findings", FieldKind.TEXT_LIST, "The key findings as the source states them.", True,
          "[...]", non_empty=True),
)

RECORD_DATE_FIELDS = (
    Field("added", FieldKind.DATE, "The date the record entered the library.", True, "2026-01-31"),
    Field("reviewed", FieldKind.DATE, "The date an editor last checked the record against the source.",
          example="2026-01-31"),
    Field("coproduced", FieldKind.BOOLEAN, "true if the evidence itself was co-produced.",
          example="true"),
)

PAGE_FIELDS = (
    Field("title", FieldKind.TEXT, "The page's title.", True, "About this library"),
    Field("summary", FieldKind.TEXT, "One sentence about the page.", True,
          "What this library is and who it is for."),
)


def term_field(taxonomy: Taxonomy) -> Field:
    """The record field that names terms of `taxonomy`."""
    return Field(
        taxonomy.id, FieldKind.TERMS, f"Ids of terms from content/taxonomies/{taxonomy.id}.yml.",
        taxonomy.required, f"[{taxonomy.terms[0].id}]" if taxonomy.terms else "[]",
        choices=tuple(term.id for term in taxonomy.terms), non_empty=taxonomy.required,
    )


def record_fields(taxonomies: Sequence[Taxonomy]) -> tuple[Field, ...]:
    """Every field a record may have, in the order the template lists them."""
    return (*RECORD_FIELDS, *(term_field(taxonomy) for taxonomy in taxonomies), *RECORD_DATE_FIELDS)
