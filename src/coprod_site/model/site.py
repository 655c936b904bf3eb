"""The site model: frozen, typed objects for everything loaded from the content folder.

`load` builds one `Site`; every later phase only reads it. Nothing here is mutated after
loading. Rules about one record (its year label, when it was last checked, when its review is
due) live on `Record`, so every page, feed and check agrees on them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from coprod_site.model.dates import add_months

UNDATED = "Date not stated"
"""How a record whose source gives no year shows its year."""
PUBLISHER_ROLE = "publisher"
"""The role of the taxonomy whose terms publish the records: citations, bylines and tags name them."""


@dataclass(frozen=True, slots=True)
class MapSpec:
    """The evidence map: which taxonomy gives the rows, which the columns, which filters it."""

    rows: str
    columns: str
    filter: str
    line: int


@dataclass(frozen=True, slots=True)
class CmsSettings:
    """Where the CMS at /admin/ saves: a GitHub repository (owner/name), its branch, and the OAuth
    service's sign-in address (site.yml's optional `cms:` mapping)."""

    repo: str
    branch: str = "main"
    auth_url: str | None = None
    """The full address of the OAuth service's sign-in endpoint, e.g. https://auth.example.org/auth."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """content/site.yml: the library's name, address and review policy."""

    title: str
    description: str
    base_url: str
    language: str
    review_months: int
    intro: str
    source: str
    evidence_map: MapSpec | None = None
    cms: CmsSettings | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a taxonomy, e.g. the principle 'Reciprocity'."""

    id: str
    name: str
    description: str
    group: str | None
    url: str | None
    line: int
    aliases: tuple[str, ...] = ()
    """Other names readers search for, such as an acronym (NHSE for NHS England)."""


@dataclass(frozen=True)
class Taxonomy:
    """A taxonomy file: its terms, optional groups, whether every record must use it, and its
    role (`PUBLISHER_ROLE` for the one whose terms publish the records, else "")."""

    id: str
    name: str
    description: str
    required: bool
    featured: bool
    order: int
    groups: tuple[tuple[str, str], ...]
    terms: tuple[Term, ...]
    source: str
    role: str = ""

    def term(self, term_id: str) -> Term:
        """The term with this id (ids are validated while loading)."""
        return self._by_id[term_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Term]:
        return {term.id: term for term in self.terms}


@dataclass(frozen=True, slots=True)
class Record:
    """One evidence record: content/evidence/<id>.md."""

    id: str
    title: str
    year: int | None
    url: str
    summary: str
    findings: tuple[str, ...]
    added: date
    terms: Mapping[str, tuple[str, ...]]
    body: str
    source: str
    published: date | None = None
    authors: tuple[str, ...] = ()
    reviewed: date | None = None
    coproduced: bool | None = None
    body_line: int = 1
    lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """The line where field `name` was written (1 if it was not)."""
        return self.lines.get(name, 1)

    @property
    def year_label(self) -> str:
        """The record's year, or a plain statement that the source gives none."""
        return str(self.year) if self.year is not None else UNDATED

    @property
    def last_checked(self) -> date:
        """When an editor last checked the record against its source: reviewed, else added."""
        return self.reviewed or self.added

    @property
    def last_changed(self) -> date:
        """When the record last changed in the library (feeds, sitemap, open data version)."""
        return max(self.added, self.last_checked)

    def review_due(self, review_months: int) -> date:
        """When the record is next due for review."""
        return add_months(self.last_checked, review_months)


@dataclass(frozen=True, slots=True)
class Page:
    """A prose page: content/pages/<id>.md."""

    id: str
    title: str
    summary: str
    body: str
    source: str
    body_line: int = 1


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the renderer needs, validated and cross-referenced."""

    config: SiteConfig
    taxonomies: tuple[Taxonomy, ...]
    records: tuple[Record, ...]
    pages: tuple[Page, ...]
    term_records: Mapping[tuple[str, str], tuple[Record, ...]]
    records_by_id: Mapping[str, Record] = field(default_factory=dict)
    map_cells: Mapping[tuple[str | None, str, str], tuple[Record, ...]] = field(default_factory=dict)
    """The evidence map's non-empty cells, (filter term or None, row, column) -> records in site order
    (computed once while loading; see `evidence_map.map_cells`)."""
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Record id -> the ids of the records most related to it (computed once while loading; see
    `related.related_records`)."""

    def record(self, record_id: str) -> Record:
        """The record with this id."""
        return self.records_by_id[record_id]

    def page(self, page_id: str) -> Page:
        """The prose page with this id."""
        return next(page for page in self.pages if page.id == page_id)

    def taxonomy(self, taxonomy_id: str) -> Taxonomy:
        """The taxonomy with this id."""
        return next(taxonomy for taxonomy in self.taxonomies if taxonomy.id == taxonomy_id)

    @property
    def publisher(self) -> Taxonomy | None:
        """The taxonomy whose role is publisher (loading checks there is exactly one)."""
        for tax in self.taxonomies:  # a loop: asked for once per record listed, it costs less than next()
            if tax.role == PUBLISHER_ROLE:
                return tax
        return None

    def lead_names(self, record: Record) -> tuple[str, ...]:
        """The names of the record's terms in the publisher taxonomy: its organisations, whatever
        the taxonomies' order."""
        publisher = self.publisher
        return tuple(publisher.term(t).name for t in record.terms.get(publisher.id, ())) if publisher else ()

    def records_with(self, taxonomy_id: str, term_id: str) -> tuple[Record, ...]:
        """Records carrying a term, newest first (computed once while loading)."""
        return self.term_records.get((taxonomy_id, term_id), ())
