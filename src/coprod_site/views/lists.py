"""Long lists in pages: the list views (all evidence, a map cell, a term) and their pagination in
GOV.UK's pattern, which `templates/_macros.html`'s `pagination` shows.

A page links its neighbours and a few numbered pages: the first, the last, the current one and
those either side of it, with a gap ("…") for each run of pages left out; a gap would stand for a
single page is shown as that page's number instead.

A record listed shows a teaser of its summary (`teaser`), never the whole: a record is listed on
about thirty pages (four orders of the library, its terms, its map cells), and its own page, one
click away, holds the whole summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coprod_site.model import PAGE_SIZE, Record, page_count, page_slice, urls
from coprod_site.views.types import Chrome, CitationLink, Link, RecordSummary


@dataclass(frozen=True, slots=True)
class PageLink:
    """One numbered link of a pager: `number` None is a gap."""

    number: int | None
    href: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Pager:
    """The links between the pages of one list, relative to the page showing them."""

    previous: str
    next: str
    items: tuple[PageLink, ...]
    number: int
    total: int

    @property
    def label(self) -> str:
        """" (page 2 of 40)" for a list of several pages, else ""."""
        return f" (page {self.number} of {self.total})" if self.total > 1 else ""


@dataclass(frozen=True, slots=True)
class ListPart:
    """The records one page of a list shows, its pager, and where it starts and ends."""

    records: Sequence[Record]
    pager: Pager
    first: int
    last: int
    count: int

    @property
    def showing(self) -> str:
        """"Records 51 to 100 of 2,000" when the list has several pages, else ""."""
        if self.pager.total == 1:
            return ""
        return f"Records {self.first:,} to {self.last:,} of {self.count:,}"


TEASER_LIMIT = 200
"""The most characters a teaser holds, its ellipsis included."""
TEASER_SHORTEST = 60
"""Leading sentences shorter than this say too little: the teaser is cut at a word instead."""
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*(?=\s+[\"'‘“(]?[A-Z0-9])")
_CUT_AT = " ,;:-–—"


def teaser(summary: str) -> str:
    """The start of a summary for a list: all of it when it fits in `TEASER_LIMIT` characters;
    else the whole sentences that fit, when they make at least `TEASER_SHORTEST` characters;
    else the words that fit, followed by an ellipsis."""
    text = " ".join(summary.split())
    if len(text) <= TEASER_LIMIT:
        return text
    ends = [end.end() for end in _SENTENCE_END.finditer(text) if end.end() <= TEASER_LIMIT]
    if ends and ends[-1] >= TEASER_SHORTEST:
        return text[:ends[-1]]
    space = text.rfind(" ", 0, TEASER_LIMIT)
    words = text[:space] if space > 0 else text[:TEASER_LIMIT - 1]
    return words.rstrip(_CUT_AT) + "…"


def page_numbers(current: int, total: int) -> tuple[int | None, ...]:
    """The page numbers a pager shows: 1, the last, the current one and its neighbours; None for a gap."""
    shown = sorted({1, total, *range(max(1, current - 1), min(total, current + 1) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) == 2:
            numbers.append(number - 1)
        elif numbers and number - (numbers[-1] or 0) > 2:
            numbers.append(None)
        numbers.append(number)
    return tuple(numbers)


def pager(url: str, first: str, number: int, total: int) -> Pager:
    """The pager of page `number` of `total`, shown on the page at `url`, whose first page is at `first`."""
    def href(target: int) -> str:
        return urls.relative(url, urls.paged_url(first, target))
    items = tuple(PageLink(n, href(n) if n else "", n == number) for n in page_numbers(number, total))
    return Pager(previous=href(number - 1) if number > 1 else "",
                 next=href(number + 1) if number < total else "", items=items, number=number, total=total)


def list_part(url: str, first: str, records: Sequence[Record], number: int) -> ListPart:
    """Page `number` of `records`, the page at `url` of the list whose first page is at `first`."""
    total = page_count(len(records))
    if not 1 <= number <= total:
        raise ValueError(f"{url!r} is page {number} of a list of {total} pages")
    shown = page_slice(records, number)
    start = (number - 1) * PAGE_SIZE + 1
    return ListPart(shown, pager(url, first, number, total), start, start + len(shown) - 1, len(records))


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a list of records: all evidence in one order, or a map cell's records."""

    chrome: Chrome
    title: str
    intro: str
    records: tuple[RecordSummary, ...]
    links: tuple[Link, ...] = ()
    pager: Pager = Pager("", "", (), 1, 1)
    showing: str = ""
    """"Records 51 to 100 of 2,000" on a list of several pages."""
    orders: tuple[Link, ...] = ()
    """The orders the list can be shown in, the one shown marked current."""


@dataclass(frozen=True, slots=True)
class TermPage:
    """One page of a term's records, with the term's description, feed and downloads."""

    chrome: Chrome
    taxonomy_name: str
    taxonomy_href: str
    name: str
    description: str
    group_label: str
    website: str
    records: tuple[RecordSummary, ...]
    search_href: str
    feed_href: str
    downloads: tuple[CitationLink, ...]
    """The term's records as one RIS file (`urls.TERM_CITATION_FORMATS`)."""
    data_href: str
    """The open data page, which offers the whole library in every citation format."""
    count: int
    pager: Pager
    showing: str
    aliases: tuple[str, ...] = ()
    """Other names readers search the term by (an acronym), shown as 'Also known as'."""
