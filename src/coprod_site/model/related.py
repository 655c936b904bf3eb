"""Related evidence: for each record, the few records sharing the most of its terms.

Computed once while loading, for every record at once. The terms of every taxonomy count except
the publisher's (two reports by one organisation are not for that reason about the same thing);
ties go to the record that comes first in the site's order, the newest publication.

Each term is a bitset of the records carrying it (bit i stands for the site's i-th record). A
record's term sets are added up as the bit-planes of a binary counter, so the records sharing
k terms, then k - 1, ... are found by a few operations on integers as wide as the library,
instead of by comparing every pair of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from coprod_site.model.site import Record

RELATED_LIMIT = 5
"""How many related records a record page shows at most."""


def related_records(records: Sequence[Record], taxonomy_ids: Collection[str], *,
                    limit: int = RELATED_LIMIT) -> Mapping[str, tuple[str, ...]]:
    """Record id -> the ids of up to `limit` records sharing the most terms of `taxonomy_ids`
    with it (at least one), most shared first, then in the order of `records`."""
    term_sets: dict[tuple[str, str], int] = defaultdict(int)
    for index, record in enumerate(records):
        for taxonomy_id in taxonomy_ids:
            for term_id in record.terms.get(taxonomy_id, ()):
                term_sets[(taxonomy_id, term_id)] |= 1 << index
    everyone = (1 << len(records)) - 1
    related: dict[str, tuple[str, ...]] = {}
    for index, record in enumerate(records):
        sets = [term_sets[(taxonomy_id, term_id)] for taxonomy_id in taxonomy_ids
                for term_id in record.terms.get(taxonomy_id, ())]
        found = most_shared(sets, everyone & ~(1 << index), limit)
        related[record.id] = tuple(records[position].id for position in found)
    return related


def most_shared(sets: Sequence[int], candidates: int, limit: int) -> list[int]:
    """The positions of up to `limit` bits of `candidates` found in the most of `sets`, lowest
    position first among equals; a bit found in none of them is never chosen."""
    planes: list[int] = []
    for bits in sets:
        carry = bits & candidates
        for level, plane in enumerate(planes):
            planes[level], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    found: list[int] = []
    for count in range(min(len(sets), (1 << len(planes)) - 1), 0, -1):
        exact = candidates
        for level, plane in enumerate(planes):
            exact &= plane if count >> level & 1 else ~plane
        while exact and len(found) < limit:
            lowest = exact & -exact
            found.append(lowest.bit_length() - 1)
            exact ^= lowest
        if len(found) == limit:
            break
    return found
