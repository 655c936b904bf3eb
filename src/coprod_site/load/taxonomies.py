"""Load content/taxonomies/*.yml into `Taxonomy` objects, checking ids, groups and names."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.load.documents import ContentRoot, Document, read_document
from coprod_site.load.read_fields import Fields
from coprod_site.model import PUBLISHER_ROLE, SLUG, Taxonomy, Term, schemas, slug_hint

_RESERVED = frozenset(spec.name for spec in (*schemas.RECORD_FIELDS, *schemas.RECORD_DATE_FIELDS))


def load_taxonomies(root: ContentRoot, files: Sequence[PurePosixPath],
                    diagnostics: Diagnostics) -> tuple[tuple[Taxonomy, ...], frozenset[str]]:
    """Every taxonomy that loaded cleanly, sorted by order then id, and the ids of broken ones."""
    loaded: list[Taxonomy] = []
    broken: set[str] = set()
    for rel in files:
        taxonomy_id = rel.stem
        if not _valid_id(root, rel, diagnostics):
            continue
        errors_before = diagnostics.error_count
        document = read_document(root, rel, schemas.TAXONOMY_FIELDS, diagnostics)
        taxonomy = _build(taxonomy_id, document, diagnostics) if document else None
        if taxonomy is None or diagnostics.error_count > errors_before:
            broken.add(taxonomy_id)
        else:
            loaded.append(taxonomy)
    broken |= _require_core(root, {rel.stem for rel in files}, diagnostics)
    if not broken:
        _require_one_publisher(root, loaded, diagnostics)
    return tuple(sorted(loaded, key=lambda taxonomy: (taxonomy.order, taxonomy.id))), frozenset(broken)


def _valid_id(root: ContentRoot, rel: PurePosixPath, diagnostics: Diagnostics) -> bool:
    where = Where(f"{root.display}/{rel}")
    if not SLUG.fullmatch(rel.stem):
        diagnostics.error(where, "file name", f"'{rel.stem}' is not a valid taxonomy id",
                          slug_hint(rel.stem) + ", then rename the file")
        return False
    if rel.stem in _RESERVED:
        diagnostics.error(where, "file name", f"'{rel.stem}' is already the name of a record field",
                          "choose another name for this taxonomy")
        return False
    return True


def _require_core(root: ContentRoot, present: set[str], diagnostics: Diagnostics) -> set[str]:
    """Report each missing core taxonomy; they count as broken, so records naming them still load."""
    missing = set(schemas.REQUIRED_TAXONOMIES) - present
    for taxonomy_id in sorted(missing):
        diagnostics.error(
            Where(f"{root.display}/taxonomies"), "taxonomies",
            f"the taxonomy '{taxonomy_id}' is missing",
            f"add {root.display}/taxonomies/{taxonomy_id}.yml with name, description and terms",
        )
    return missing


def _require_one_publisher(root: ContentRoot, loaded: Sequence[Taxonomy], diagnostics: Diagnostics) -> None:
    """Exactly one taxonomy names the records' publishers, so no citation guesses them."""
    publishers = sorted((taxonomy for taxonomy in loaded if taxonomy.role == PUBLISHER_ROLE),
                        key=lambda taxonomy: taxonomy.source)
    if not publishers:
        files = ", ".join(sorted(taxonomy.source for taxonomy in loaded))
        diagnostics.error(Where(f"{root.display}/taxonomies"), "role",
                          f"no taxonomy declares 'role: {PUBLISHER_ROLE}' (taxonomies: {files})",
                          f"add the line 'role: {PUBLISHER_ROLE}' to the taxonomy of the organisations "
                          "that publish the records, so citations name them")
    for taxonomy in publishers if len(publishers) > 1 else ():
        diagnostics.error(Where(taxonomy.source), "role",
                          f"'role: {PUBLISHER_ROLE}' is declared by {len(publishers)} taxonomies: "
                          + ", ".join(other.source for other in publishers),
                          f"keep 'role: {PUBLISHER_ROLE}' only in the taxonomy of the organisations "
                          "that publish the records")


def _build(taxonomy_id: str, document: Document, diagnostics: Diagnostics) -> Taxonomy | None:
    values = document.fields.values
    role: str = values.get("role", "")
    if role and role != PUBLISHER_ROLE:
        diagnostics.error(document.fields.where(document.path, "role"), "role",
                          f"'{role}' is not a role a taxonomy can play",
                          f"the only role is '{PUBLISHER_ROLE}'")
    groups: dict[str, str] = values.get("groups", {})
    items: tuple[Fields, ...] = values.get("terms", ())
    # When `groups` itself is invalid (already reported), terms' groups cannot be checked.
    known_groups = None if "groups" in document.fields.invalid else groups
    terms = _terms(items, known_groups, document.path, diagnostics)
    if "name" not in values or "description" not in values or "terms" not in values:
        return None
    return Taxonomy(
        id=taxonomy_id, name=values["name"], description=values["description"],
        required=values.get("required", False), featured=values.get("featured", False),
        order=values.get("order", 0),
        groups=tuple(groups.items()), terms=terms, source=document.path, role=role,
    )


def _terms(items: Sequence[Fields], groups: dict[str, str] | None, path: str,
           diagnostics: Diagnostics) -> tuple[Term, ...]:
    """The complete, valid terms; `groups` is None when the taxonomy's groups are unusable."""
    terms: list[Term] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        values = item.values
        term_id: str | None = values.get("id")
        if term_id is not None and not _valid_term_id(term_id, item, index, first_line, path, diagnostics):
            continue
        if term_id is not None:
            first_line[term_id] = item.pos.line
        group: str | None = values.get("group")
        if groups is not None and not _valid_group(term_id, group, groups, item, index, path, diagnostics):
            continue
        if term_id is None or "name" not in values or "description" not in values:
            continue
        terms.append(Term(term_id, values["name"], values["description"], group, values.get("url"),
                          item.pos.line, values.get("aliases", ())))
    return tuple(terms)


def _valid_term_id(term_id: str, item: Fields, index: int, first_line: dict[str, int], path: str,
                   diagnostics: Diagnostics) -> bool:
    where, name = item.where(path, "id"), f"terms[{index}].id"
    if not SLUG.fullmatch(term_id):
        diagnostics.error(where, name, f"'{term_id}' is not a valid term id", slug_hint(term_id))
        return False
    if term_id in first_line:
        diagnostics.error(where, name,
                          f"the term id '{term_id}' is already used on line {first_line[term_id]}",
                          "give each term its own id")
        return False
    return True


def _valid_group(term_id: str | None, group: str | None, groups: dict[str, str], item: Fields,
                 index: int, path: str, diagnostics: Diagnostics) -> bool:
    name = f"terms[{index}].group"
    if group is None and groups and term_id is not None:
        diagnostics.error(item.where(path, "id"), name,
                          f"the term '{term_id}' has no group, but this taxonomy declares groups",
                          "add a line 'group: <id>' with one of: " + ", ".join(groups))
        return False
    if group is not None and group not in groups:
        declared = ", ".join(groups) if groups else "none are declared"
        diagnostics.error(item.where(path, "group"), name,
                          f"the group '{group}' is not declared in this file's groups",
                          f"declared groups: {declared}")
        return False
    return True
