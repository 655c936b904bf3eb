"""Load content/pages/*.md into `Page`s: prose pages such as About and Accessibility."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.load.documents import ContentRoot, check_body, read_document
from coprod_site.model import SLUG, Page, schemas, slug_hint


def load_pages(root: ContentRoot, files: Sequence[PurePosixPath],
               diagnostics: Diagnostics) -> tuple[Page, ...]:
    """Every prose page that loaded cleanly."""
    pages: list[Page] = []
    for rel in files:
        if not SLUG.fullmatch(rel.stem):
            diagnostics.error(Where(f"{root.display}/{rel}"), "file name",
                              f"'{rel.stem}' is not a valid page id", slug_hint(rel.stem))
            continue
        errors_before = diagnostics.error_count
        document = read_document(root, rel, schemas.PAGE_FIELDS, diagnostics)
        if document is None:
            continue
        check_body(document, diagnostics)
        if diagnostics.error_count == errors_before:
            values = document.fields.values
            pages.append(Page(rel.stem, values["title"], values["summary"], document.body, document.path,
                              document.body_line))
    return tuple(pages)
