"""Cross-reference checks over the loaded content: duplicate ids, unused terms, reviews due."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.model import Record, SiteConfig, Taxonomy

_WORDS = re.compile(r"[^\w]+")


def check_duplicate_ids(sources: Sequence[str], diagnostics: Diagnostics) -> None:
    """Two files may not share an id, even one that differs only by case."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        by_id[source.rsplit("/", 1)[-1].rsplit(".", 1)[0].casefold()].append(source)
    for group in by_id.values():
        for source in group[1:]:
            first = group[0]
            same = first.rsplit("/", 1)[-1] == source.rsplit("/", 1)[-1]
            how = "the same id as" if same else "an id that differs only by case from"
            diagnostics.error(Where(source), "file name", f"has {how} {first}",
                              "rename one of the two files; every record needs its own id")


def check_summaries(records: Sequence[Record], diagnostics: Diagnostics) -> None:
    """Warn when a summary only repeats the title instead of saying what the source found."""
    for record in records:
        title, summary = _normalise(record.title), _normalise(record.summary)
        if summary == title or summary.startswith(title + " "):
            where = Where(record.source, record.line_of("summary"))
            diagnostics.warning(where, "summary", "repeats the title",
                                "say in plain words what the source is and what it found")


def _normalise(text: str) -> str:
    return _WORDS.sub(" ", text.casefold()).strip()


def check_unused_terms(taxonomies: Sequence[Taxonomy], used: frozenset[tuple[str, str]],
                       diagnostics: Diagnostics) -> None:
    """Warn about declared terms that no record file names (even one with other errors)."""
    for taxonomy in taxonomies:
        for term in taxonomy.terms:
            if (taxonomy.id, term.id) not in used:
                diagnostics.warning(Where(taxonomy.source, term.line), "terms",
                                    f"the term '{term.id}' is not used by any record",
                                    "tag a record with it, or remove it")


def check_reviews(records: Sequence[Record], review_months: int, today: date,
                  diagnostics: Diagnostics) -> None:
    """Warn when a record has not been reviewed for `review_months` months."""
    for record in records:
        last, due = record.last_checked, record.review_due(review_months)
        if due <= today:
            field_name = "reviewed" if record.reviewed else "added"
            diagnostics.warning(
                Where(record.source, record.line_of(field_name)), field_name,
                f"review due: last checked {last.isoformat()}, due {due.isoformat()}",
                "check the record against its source, then set reviewed to today's date",
            )


def check_map_spec(config: SiteConfig, taxonomy_ids: Sequence[str], diagnostics: Diagnostics) -> None:
    """The evidence map must name existing, distinct taxonomies."""
    spec = config.evidence_map
    if spec is None:
        return
    named = [name for name in (spec.rows, spec.columns, spec.filter) if name]
    for name in named:
        if name not in taxonomy_ids:
            diagnostics.error(Where(config.source, spec.line), "evidence_map", f"'{name}' is not a taxonomy",
                              "taxonomies: " + ", ".join(sorted(taxonomy_ids)))
    if len(set(named)) != len(named):
        diagnostics.error(Where(config.source, spec.line), "evidence_map",
                          "uses the same taxonomy twice", "rows, columns and filter must differ")
