"""Citations: one record as a reference (APA, Harvard) and as RIS, BibTeX and CSL-JSON.

Everything starts from `Reference`, built once per record: people's names are split into
family and given names (honorifics dropped, diacritics kept), and when a source names no
people its organisations are the authors. Missing dates come out as each style expects
("n.d.", "no date", or no date field at all).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coprod_site.formats.json_text import json_array_of_texts, json_compact
from coprod_site.model import Record, Site, long_date

_HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev"})
# Words that belong to the family name that follows them: "Zoë Ó Briain" is Ó Briain, Z.
_PARTICLES = frozenset({"ó", "ní", "nic", "ua", "uí", "mac", "van", "von", "der", "den", "de", "del", "della",
                        "di", "da", "du", "le", "la", "bin", "ibn", "ap"})


@dataclass(frozen=True, slots=True)
class Name:
    """An author: a person (family and given names) or an organisation (`literal`)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def initials(self) -> str:
        """Given names as initials: 'Felix Anna' -> 'F. A.'; hyphenated names keep the hyphen."""
        parts = [part for part in re.split(r"\s+", self.given) if part]
        return " ".join("-".join(piece[0] + "." for piece in part.split("-") if piece) for part in parts)


@dataclass(frozen=True, slots=True)
class Reference:
    """What every citation format needs to know about one record."""

    key: str
    title: str
    authors: tuple[Name, ...]
    publishers: tuple[str, ...]
    year: int | None
    published: date | None
    url: str
    accessed: date
    abstract: str
    keywords: tuple[str, ...]


def parse_name(text: str) -> Name:
    """A person's name as written ('Dr Felix Mukoro') split into family and given names."""
    words = [word for word in text.split() if word.rstrip(".").lower() not in _HONORIFICS]
    if not words:
        return Name(literal=text.strip())
    if "," in text:
        family, _, given = " ".join(words).partition(",")
        return Name(family=family.strip(), given=given.strip())
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]))


def reference(record: Record, publishers: Sequence[str], keywords: Sequence[str]) -> Reference:
    """The reference of `record`; its organisations author it when no people are named."""
    people = tuple(parse_name(name) for name in record.authors)
    authors = people or tuple(Name(literal=name) for name in publishers)
    return Reference(
        key=record.id, title=record.title, authors=authors, publishers=tuple(publishers),
        year=record.year, published=record.published, url=record.url,
        accessed=record.last_checked, abstract=record.summary, keywords=tuple(keywords),
    )


def _publisher_line(ref: Reference, separator: str = ", ") -> str:
    """The publishers, unless a publisher is already an author."""
    names = [name for name in ref.publishers if all(author.literal != name for author in ref.authors)]
    return separator.join(names)


def _join(names: list[str], last: str) -> str:
    """'A, B, {last} C': `last` is '&' for APA (comma before it) or 'and' for Harvard (none)."""
    if len(names) <= 1:
        return "".join(names)
    comma = "," if last == "&" else ""
    return ", ".join(names[:-1]) + f"{comma} {last} " + names[-1]


@dataclass(frozen=True, slots=True)
class Formatted:
    """A reference in a citation style: the text before the italic title, the title, the rest."""

    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        """The whole reference as plain text."""
        return f"{self.before}{self.title}{self.after}"


def _author_list(ref: Reference, last: str) -> str:
    return _join([a.literal or f"{a.family}, {a.initials()}".rstrip(", ") for a in ref.authors], last)


def apa(ref: Reference) -> Formatted:
    """APA 7th edition, for a report: Family, G. (Year). *Title*. Publisher. URL

    The author element ends with a full stop (a group author gets one: "NHS England. (2020).");
    several publishers are separated by semicolons.
    """
    year = str(ref.year) if ref.year is not None else "n.d."
    publisher = _publisher_line(ref, "; ")
    after = "." + (f" {publisher}." if publisher else "") + f" {ref.url}"
    authors = _author_list(ref, "&")
    authors += "" if authors.endswith(".") else "."
    return Formatted(f"{authors} ({year}). ", ref.title.rstrip("."), after)


def harvard(ref: Reference) -> Formatted:
    """Harvard (Cite Them Right): Family, G. (Year) *Title*. Publisher. Available at: URL (Accessed: date)."""
    year = str(ref.year) if ref.year is not None else "no date"
    publisher = _publisher_line(ref)
    after = "." + (f" {publisher}." if publisher else "")
    after += f" Available at: {ref.url} (Accessed: {long_date(ref.accessed)})."
    return Formatted(f"{_author_list(ref, 'and')} ({year}) ", ref.title.rstrip("."), after)


def ris(ref: Reference) -> str:
    """The reference as an RIS record (type RPRT), lines ending in CRLF as the format expects."""
    lines = ["TY  - RPRT", f"TI  - {ref.title}"]
    lines += [f"AU  - {a.literal or f'{a.family}, {a.given}'.rstrip(', ')}" for a in ref.authors]
    if ref.year is not None:
        lines.append(f"PY  - {ref.year}")
    if ref.published is not None:
        lines.append(f"DA  - {ref.published:%Y/%m/%d}/")
    lines += [f"PB  - {'; '.join(ref.publishers)}"] if ref.publishers else []  # PB holds one value
    lines += [f"UR  - {ref.url}", f"Y2  - {ref.accessed:%Y/%m/%d}/", f"AB  - {ref.abstract}"]
    lines += [f"KW  - {keyword}" for keyword in ref.keywords]
    lines += ["ER  - "]
    return "\r\n".join(lines) + "\r\n"


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m[1], "\\" + m[1]), text)


def _bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + _bibtex_text(name.literal) + "}"
    return f"{_bibtex_text(name.family)}, {_bibtex_text(name.given)}".rstrip(", ")


def bibtex(ref: Reference) -> str:
    """The reference as a BibTeX @techreport entry (UTF-8, special characters escaped)."""
    fields = [("title", "{" + _bibtex_text(ref.title) + "}"),
              ("author", " and ".join(_bibtex_name(name) for name in ref.authors))]
    if ref.year is not None:
        fields.append(("year", str(ref.year)))
    if ref.published is not None:
        fields += [("month", f"{ref.published:%b}".lower()), ("date", ref.published.isoformat())]
    if ref.publishers:
        fields.append(("institution", _bibtex_text(" and ".join(ref.publishers))))
    fields += [("url", ref.url), ("urldate", ref.accessed.isoformat()),
               ("abstract", _bibtex_text(ref.abstract))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@techreport{{{ref.key},\n{body}\n}}\n"


def _date_parts(value: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_item(ref: Reference) -> dict[str, object]:
    """The reference as a CSL-JSON item (type report)."""
    item: dict[str, object] = {
        "id": ref.key, "type": "report", "title": ref.title, "URL": ref.url,
        "author": [{"literal": a.literal} if a.literal else {"family": a.family, "given": a.given}
                   for a in ref.authors],
        "accessed": _date_parts(ref.accessed), "abstract": ref.abstract,
    }
    if ref.published is not None:
        item["issued"] = _date_parts(ref.published)
    elif ref.year is not None:
        item["issued"] = {"date-parts": [[ref.year]]}
    if ref.publishers:
        item["publisher"] = ", ".join(ref.publishers)
    if ref.keywords:
        item["keyword"] = ", ".join(ref.keywords)
    return item


def citation_entry(ref: Reference, form: str) -> str:
    """One reference's entry in a citations file of `form`; `join_entries` makes the file."""
    if form == "ris":
        return ris(ref)
    if form == "bibtex":
        return bibtex(ref)
    return json_compact(csl_item(ref))


def join_entries(entries: Sequence[str], form: str) -> str:
    """A citations file of `form` from entries made by `citation_entry`."""
    if form == "ris":
        return "".join(entries)
    if form == "bibtex":
        return "\n".join(entries)
    return json_array_of_texts(entries)


def record_reference(site: Site, record: Record) -> Reference:
    """The reference of a record of `site`: publishers from the publisher taxonomy (whatever the
    taxonomies' order), keywords from the rest."""
    publisher = site.publisher.id if site.publisher else ""
    keywords = [taxonomy.term(term_id).name for taxonomy in site.taxonomies if taxonomy.id != publisher
                for term_id in record.terms.get(taxonomy.id, ())]
    return reference(record, site.lead_names(record), keywords)
