"""Term aliases: other names readers search a term by (an acronym), validated, shown and indexed."""

from __future__ import annotations

from pathlib import Path

from conftest import TEMPLATES
from content_factory import TODAY, fixture_text, load_content, make_content, shown
from coprod_site.build import BuildOptions, build_site
from html_tools import parse_file

ALIASED = fixture_text("taxonomies/organisations.yml").replace(
    "    name: Example Trust\n", "    name: Example Trust\n    aliases: [ETR, The Trust]\n")


def test_aliases_show_on_the_term_page_and_are_indexed_on_its_records(tmp_path: Path) -> None:
    content = make_content(tmp_path, {"taxonomies/organisations.yml": ALIASED})
    site = tmp_path / "site"
    result = build_site(content, site, TEMPLATES, today=TODAY, options=BuildOptions(search=False))
    assert result.ok, shown(result.load)
    term = parse_file(site / "organisations" / "example-trust" / "index.html")
    assert term.find("p", cls="aliases").text() == "Also known as: ETR, The Trust"
    records = [path for path in (site / "evidence").glob("*/index.html")
               if "Example Trust" in path.read_text(encoding="utf-8")]
    assert records
    for page in records:
        hidden = [span.text() for span in parse_file(page).find_all("span") if "hidden" in span.attrs]
        assert "ETR The Trust" in [text.strip() for text in hidden], page


def test_aliases_must_be_a_list_of_names(tmp_path: Path) -> None:
    broken = fixture_text("taxonomies/organisations.yml").replace(
        "    name: Example Trust\n", "    name: Example Trust\n    aliases: ETR\n")
    result = load_content(make_content(tmp_path, {"taxonomies/organisations.yml": broken}))
    assert result.site is None
    messages = [headline for headline, _ in shown(result)]
    assert any("terms[1].aliases: must be a list" in headline for headline in messages), messages
