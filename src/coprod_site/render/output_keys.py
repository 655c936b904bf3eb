"""Cache keys of outputs: a digest of everything an output is made from.

Every output is made from the site's frame (site.yml, the taxonomies and the prose pages, which
the navigation, term names and bylines come from) and from some records: a record page from its
record and the records it lists as related (which records those are, and their titles, years and
terms), a term page from the records carrying the term, an evidence-map cell from the records in
it, and the site-wide pages (home, lists, map, open data, sitemap) from every record. The key
joins the frame, the output's address and kind, and the digests of those records, with the
generator's and templates' digest that `BuildCache.key` adds. A record's digest is made from the
loaded record, so from its file; only the record's own page shows the body, so only that page's
key includes it. One page of a long list (all evidence in one order, a term's records, a map
cell's records) shows only its slice of the list and the list's length, so its key covers just
those: a title edit re-renders the pages that list the record, not every page of every list.
Pages that show only counts are keyed by the fields the counts come from (`SUMMARY_FIELDS`): the
taxonomy pages and the evidence map by every record's terms, the search page by the terms and
years (its filters), the sitemap by the ids and terms (which decide the pages) and the dates of
each record's last change; the 404 page shows no record. When
in doubt an output depends on every record: a missed dependency would serve a stale page, an extra
one only costs a render.

`KeyMaker` makes the keys with any salted digest (`serve` keeps them in memory); `OutputKeys`
makes them with a build cache's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import fields

from coprod_site.build_cache import BuildCache, digest
from coprod_site.model import (
    EvidenceList,
    EvidenceOrder,
    Output,
    OutputKind,
    Paged,
    Record,
    RecordRef,
    Site,
    page_slice,
    records_of,
)
from coprod_site.render.kinds import KINDS, MadeFrom

_LISTED_FIELDS = tuple(item.name for item in fields(Record) if item.name not in ("body", "body_line"))


def output_records(site: Site, output: Output) -> Sequence[Record] | None:
    """The records `output` is made from, or None when it is made from every record."""
    made_from = KINDS[output.kind].made_from
    if made_from is MadeFrom.ITS_RECORD_AND_RELATED:
        record_id = output.about(RecordRef).record_id
        return (site.record(record_id), *map(site.record, site.related.get(record_id, ())))
    if made_from is MadeFrom.NO_RECORD:
        return ()
    if made_from is MadeFrom.EVERY_RECORD:
        return None
    return records_of(site, output.subject)


_LIST_PAGES = (OutputKind.EVIDENCE_LIST, OutputKind.TERM, OutputKind.TERM_PAGE, OutputKind.MAP_CELL,
               OutputKind.MAP_CELL_PAGE)
"""Kinds that show one page of a list: the slice on the page and the list's length."""

KeyOf = Callable[..., str]
Known = dict[str, tuple[Record, str]]
"""Record id -> (the record, its listed digest), kept from one maker to the next."""
SUMMARY_FIELDS: dict[OutputKind, tuple[str, ...]] = {
    OutputKind.TAXONOMY: ("terms",), OutputKind.MAP: ("terms",), OutputKind.SEARCH: ("terms", "year"),
    OutputKind.SITEMAP: ("id", "terms", "added", "reviewed"), OutputKind.NOT_FOUND: ()}
"""Pages made from every record that show only these fields of the records (counts, mostly)."""


class KeyMaker:
    """The key of each output of one site, made with `key_of` (a salted digest of its parts)."""

    def __init__(self, site: Site, key_of: KeyOf, *, known: Known | None = None) -> None:
        """`known` keeps each record's listed digest with the record it was made from; a maker
        for the next version of the site reuses the digests of the records it still holds."""
        self.site, self._key_of = site, key_of
        self._known = {} if known is None else known
        self.frame = digest(repr(site.config), repr(site.taxonomies), repr(site.pages))
        self._made_from: dict[int, tuple[Sequence[Record], str]] = {}
        self._orders: dict[EvidenceOrder, Sequence[Record]] = {}
        self._summaries: dict[tuple[str, ...], str] = {}

    def prepare(self) -> None:
        """Compute the records' digests now (before worker processes fork and inherit them)."""
        _ = self.every_record

    def key(self, output: Output) -> str:
        """The key of `output`'s file."""
        made_from = self._records_part(output)
        return self._key_of(self.frame, output.kind, output.url, repr(output.subject), made_from)

    def _records_part(self, output: Output) -> str:
        """The digest of what `output` shows of the records."""
        rule = KINDS[output.kind].made_from
        if rule in (MadeFrom.ITS_RECORD, MadeFrom.ITS_RECORD_AND_RELATED):
            record_id = output.about(RecordRef).record_id
            related = self.site.related.get(record_id, ()) if rule is MadeFrom.ITS_RECORD_AND_RELATED else ()
            return digest(self.whole_record(record_id), *(self.listed[other] for other in related))
        if output.kind in _LIST_PAGES:
            return self._list_page(output)
        if output.kind in SUMMARY_FIELDS:
            return self._summary(SUMMARY_FIELDS[output.kind])
        records = output_records(self.site, output)
        return self.every_record if records is None else self._digest_of(records)

    def _summary(self, names: tuple[str, ...]) -> str:
        """The digest of the fields `names` of every record, in the order of their ids."""
        if names not in self._summaries:
            self._summaries[names] = digest(repr([tuple(getattr(record, name) for name in names)
                                                  for _, record in self._by_id]) if names else "")
        return self._summaries[names]

    def _list_page(self, output: Output) -> str:
        """What one page of a list shows: the list's length and the records of its page."""
        subject = output.subject
        if isinstance(subject, EvidenceList):
            if subject.order not in self._orders:
                self._orders[subject.order] = subject.order.ordered(self.site.records)
            records, number = self._orders[subject.order], subject.number
        else:
            records = records_of(self.site, subject) or ()
            number = subject.number if isinstance(subject, Paged) else 1
        shown = page_slice(records, number)
        return digest(str(len(records)), "".join(self.listed[record.id] for record in shown))

    def _digest_of(self, records: Sequence[Record]) -> str:
        """The digest of `records` as listed; made once per list (a term's records are the same
        list for its page, its feed and its three citation files)."""
        known = self._made_from.get(id(records))
        if known is None or known[0] is not records:
            known = (records, digest("".join(self.listed[record.id] for record in records)))
            self._made_from[id(records)] = known
        return known[1]

    def whole_record(self, record_id: str) -> str:
        """The digest of one record, its body included: what its own page is made from."""
        return digest(self.listed[record_id], self.site.record(record_id).body)

    @functools.cached_property
    def listed(self) -> dict[str, str]:
        """Each record's digest without its body, which only the record's own page shows."""
        listed: dict[str, str] = {}
        for record in self.site.records:
            known = self._known.get(record.id)
            if known is None or known[0] is not record:
                known = self._known[record.id] = (
                    record, digest(repr(tuple(getattr(record, name) for name in _LISTED_FIELDS))))
            listed[record.id] = known[1]
        for gone in self._known.keys() - listed.keys():
            del self._known[gone]
        return listed

    @functools.cached_property
    def _by_id(self) -> list[tuple[str, Record]]:
        return sorted(self.site.records_by_id.items())

    @functools.cached_property
    def every_record(self) -> str:
        """The digest of every record as listed, in the site's order."""
        return digest("".join(self.listed[record.id] for record in self.site.records))


class OutputKeys(KeyMaker):
    """The key of each output of one site, for one cache."""

    def __init__(self, cache: BuildCache, site: Site) -> None:
        super().__init__(site, cache.key)
        self.cache = cache
