"""The open data page's view: downloads, their formats, and a schema.org Dataset description."""

from __future__ import annotations

from coprod_site.formats import script_json
from coprod_site.model import Output, urls
from coprod_site.views.context import ViewContext, citation_links
from coprod_site.views.types import DataPage, Link


def data_page(context: ViewContext, output: Output) -> DataPage:
    """The /data/ page."""
    url, site = output.url, context.site
    base = site.config.base_url
    version = context.open_data.version
    dataset = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": f"{site.config.title}: evidence records",
        "description": site.config.description, "url": urls.absolute(base, url), "version": version,
        "inLanguage": site.config.language, "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": site.config.title, "url": base},
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": urls.absolute(base, target)}
            for target, media in ((urls.DATA_JSON_URL, "application/json"), (urls.DATA_CSV_URL, "text/csv"),
                                  (urls.DATA_SCHEMA_URL, "application/schema+json"))
        ],
    }
    title = "Open data"
    return DataPage(
        chrome=context.chrome(url, title, "Every record in the library as JSON and CSV.",
                            trail=(Link(title, "./", True),)),
        record_count=len(site.records), json_href=urls.relative(url, urls.DATA_JSON_URL),
        csv_href=urls.relative(url, urls.DATA_CSV_URL), schema_href=urls.relative(url, urls.DATA_SCHEMA_URL),
        citations=citation_links(url, urls.library_citation_url),
        json_ld=script_json(dataset),
        version=version,
    )
