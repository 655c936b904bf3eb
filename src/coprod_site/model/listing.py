"""Long lists cut into pages, and the orders a reader can list the whole library in.

Every list of records (all evidence, a term's records, a map cell's records) is shown
`PAGE_SIZE` records a page: page 1 at the list's own address, page n at `<list>page/<n>/`.
Fifty keeps a page of the 10,000-record bench library near 60 KB, under a tenth of a phone's
budget of 300 KB a page, while a reader still scans a useful share of it at a time.

The library can be listed in four orders (`EvidenceOrder`), each a set of static pages; the
default (newest publications first) is the site's own order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TypeVar

from coprod_site.model.site import Record
from coprod_site.model.urls import DEFAULT_ORDER

Item = TypeVar("Item")

PAGE_SIZE = 50
"""How many records one page of a list shows."""


def page_count(items: int) -> int:
    """How many pages a list of `items` records takes (an empty list still has its first page)."""
    return max(1, -(-items // PAGE_SIZE))


def page_slice(items: Sequence[Item], number: int) -> Sequence[Item]:
    """The records page `number` (from 1) of a list shows."""
    start = (number - 1) * PAGE_SIZE
    return items[start:start + PAGE_SIZE]


class EvidenceOrder(StrEnum):
    """An order of the whole library; the value is the order's address below the evidence list."""

    NEWEST = DEFAULT_ORDER
    ADDED = "recently-added"
    OLDEST = "oldest-first"
    TITLE = "by-title"

    @property
    def label(self) -> str:
        """The order's name as a reader sees it."""
        return _LABELS[self][0]

    @property
    def phrase(self) -> str:
        """The order within a sentence: "3 records, oldest publications first"."""
        return _LABELS[self][1]

    def ordered(self, records: Sequence[Record]) -> Sequence[Record]:
        """`records` (in the site's order, newest publications first) in this order."""
        key = _KEYS.get(self)
        return records if key is None else sorted(records, key=key)


def _oldest_first(record: Record) -> tuple[bool, int, int, str, str]:
    published = record.published.toordinal() if record.published else 0
    return (record.year is None, record.year or 0, published, record.title.casefold(), record.id)


def recently_added(record: Record) -> tuple[int, str]:
    """Sort key: the record added last first (the home page's "Recently added" too)."""
    return (-record.added.toordinal(), record.id)


def _by_title(record: Record) -> tuple[str, str]:
    return (record.title.casefold(), record.id)


_LABELS = {EvidenceOrder.NEWEST: ("Newest publications first", "newest publications first"),
           EvidenceOrder.ADDED: ("Recently added", "most recently added first"),
           EvidenceOrder.OLDEST: ("Oldest publications first", "oldest publications first"),
           EvidenceOrder.TITLE: ("Title A–Z", "by title from A to Z")}
_KEYS: dict[EvidenceOrder, Callable[[Record], tuple[object, ...]]] = {
    EvidenceOrder.ADDED: recently_added, EvidenceOrder.OLDEST: _oldest_first, EvidenceOrder.TITLE: _by_title}
