"""The record page's view: the record, its terms, review dates and its citation kit
(APA and Harvard references, RIS/BibTeX/CSL-JSON downloads, Highwire and schema.org tags)."""

from __future__ import annotations

from urllib.parse import urlsplit

from markupsafe import Markup

from coprod_site.formats import Reference, apa, harvard, script_json
from coprod_site.model import Output, Record, RecordRef, long_date, urls
from coprod_site.views.context import ViewContext, citation_links
from coprod_site.views.search_data import record_search_data
from coprod_site.views.types import Facet, Link, RecordPage, RelatedRecord

RECORD_PAGE_IDS = frozenset({"main", "summary", "key-findings", "details", "source", "cite", "review"})


def record_page(context: ViewContext, output: Output) -> RecordPage:
    """An evidence record's page."""
    url, site = output.url, context.site
    record = site.record(output.about(RecordRef).record_id)
    last, due = record.last_checked, record.review_due(site.config.review_months)
    ref = context.reference(record)
    record_facets = facets(context, url, record)
    publisher = site.publisher.id if site.publisher else None
    trail = (Link("Evidence", urls.relative(url, urls.EVIDENCE_URL)), Link(record.title, "./", True))
    return RecordPage(
        chrome=context.chrome(url, record.title, context.teaser(record), trail=trail, og_type="article"),
        title=record.title, summary=record.summary, year_label=record.year_label,
        published_label=long_date(record.published) if record.published else "",
        authors=record.authors, source_url=record.url, source_host=urlsplit(record.url).hostname or "",
        coproduced_label=_coproduced_label(record.coproduced), facets=record_facets,
        findings=context.markdown.inline_all(record.findings),
        body=context.markdown.block(record.body, reserved_ids=RECORD_PAGE_IDS),
        reviewed_label=long_date(last), reviewed_iso=last.isoformat(),
        next_review_label=long_date(due), next_review_iso=due.isoformat(),
        json_ld=json_ld(ref, urls.absolute(site.config.base_url, url)),
        search=record_search_data(site, record), apa=apa(ref), harvard=harvard(ref),
        downloads=citation_links(url, lambda form: urls.record_citation_url(record.id, form)),
        highwire=highwire(ref), copy_script=urls.relative(url, urls.ASSETS_URL + "cite.js"),
        related=related(context, url, record),
        publishers=next((facet.terms for facet in record_facets if facet.taxonomy_id == publisher), ()),
    )


def related(context: ViewContext, url: str, record: Record) -> tuple[RelatedRecord, ...]:
    """The records most related to `record` (`Site.related`), each with the names of the terms
    they share, taxonomy by taxonomy in the record's own order."""
    site = context.site
    mine = [(tax.id, term_id, tax.term(term_id).name) for tax in site.taxonomies if tax is not site.publisher
            for term_id in record.terms.get(tax.id, ())]
    shown = []
    for other in map(site.record, site.related.get(record.id, ())):
        shared = tuple(name for tax_id, term_id, name in mine if term_id in other.terms.get(tax_id, ()))
        href = urls.relative(url, urls.record_url(other.id))
        shown.append(RelatedRecord(other.title, href, other.year_label, shared))
    return tuple(shown)


def facets(context: ViewContext, url: str, record: Record) -> tuple[Facet, ...]:
    """The record's terms, taxonomy by taxonomy, as links to the term pages."""
    return tuple(
        Facet(tax.id, tax.name, urls.relative(url, urls.taxonomy_url(tax.id)),
              tuple(context.term_link(url, tax, term_id) for term_id in record.terms.get(tax.id, ())))
        for tax in context.site.taxonomies if record.terms.get(tax.id)
    )


def highwire(ref: Reference) -> tuple[tuple[str, str], ...]:
    """Highwire Press `citation_*` tags, which Google Scholar and Zotero read."""
    tags = [("citation_title", ref.title)]
    tags += [("citation_author", a.literal or f"{a.family}, {a.given}".rstrip(", ")) for a in ref.authors]
    if ref.published is not None:
        tags.append(("citation_publication_date", f"{ref.published:%Y/%m/%d}"))
    elif ref.year is not None:
        tags.append(("citation_publication_date", str(ref.year)))
    tags += [("citation_technical_report_institution", name) for name in ref.publishers]
    tags += [("citation_publisher", name) for name in ref.publishers]
    is_pdf = urlsplit(ref.url).path.lower().endswith(".pdf")
    tags.append(("citation_pdf_url" if is_pdf else "citation_fulltext_html_url", ref.url))
    tags += [("citation_keywords", "; ".join(ref.keywords))] if ref.keywords else []
    return tuple(tags)


def json_ld(ref: Reference, page: str) -> Markup:
    """A schema.org Report describing the record, safe to place inside a script element."""
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "Report", "name": ref.title, "description": ref.abstract,
        "url": ref.url, "mainEntityOfPage": page, "keywords": list(ref.keywords),
        "publisher": [{"@type": "Organization", "name": name} for name in ref.publishers],
        "author": [{"@type": "Organization", "name": a.literal} if a.literal else
                   {"@type": "Person", "familyName": a.family, "givenName": a.given,
                    "name": f"{a.given} {a.family}".strip()} for a in ref.authors],
    }
    if ref.published is not None or ref.year is not None:
        data["datePublished"] = ref.published.isoformat() if ref.published else str(ref.year)
    return script_json(data)


def _coproduced_label(coproduced: bool | None) -> str:
    if coproduced is None:
        return "Not stated"
    return "Yes, the evidence was itself co-produced" if coproduced else "No"
