"""Hostile content is neutralised: markup in any text field is shown as text, no script or
event handler reaches a page, unsafe link schemes never become links, the JSON-LD block cannot
be broken out of, and template syntax in content is not evaluated.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BUILD_DAY, TEMPLATES
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from html_tools import Element, is_external, parse_file, resolve_link, site_pages

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TITLE = f"Report {SCRIPT} {IMG} </script><script>alert(2)</script> {{{{ 7*7 }}}} {{% raw %}}"
SUMMARY = f'A summary with {SCRIPT} and {IMG} and " onmouseover="alert(3)" in it.'
FINDING = (f"Finding {SCRIPT} {IMG} with [x](javascript:alert(1)) and "
           "[y](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) links")
BODY = f"""## A heading {SCRIPT}

{SCRIPT}

{IMG}

A paragraph with [x](javascript:alert(1)), [y](data:text/html,<b>hi</b>), [z](JAVASCRIPT:alert(1)),
[w](java&#x73;cript:alert(1)), [v](<javascript:alert(1)>), <javascript:alert(1)> and
[safe](https://example.org/safe).

![pic](javascript:alert(1))

<a href="javascript:alert(1)" onclick="alert(1)">raw anchor</a>
"""
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
HOSTILE_ID = "hostile-record"
HOSTILE_URL = f"evidence/{HOSTILE_ID}/"
BASE = "https://example.org/library/"


def yaml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    hostile = record(
        title=f"title: {yaml_string(TITLE)}",
        summary=f"summary: {yaml_string(SUMMARY)}",
        findings=f"findings:\n  - {yaml_string(FINDING)}\n  - {yaml_string(SCRIPT)}",
        body=BODY,
        extra=f"authors: [{yaml_string(IMG)}]",
    )
    content = make_content(base, {f"evidence/{HOSTILE_ID}.md": hostile})
    result = build_site(content, base / "out", TEMPLATES, today=BUILD_DAY, options=BuildOptions(search=False))
    problems = "\n".join(item.headline() for item in result.load.diagnostics)
    assert result.ok, problems
    return base / "out"


@pytest.fixture(scope="module")
def record_page(hostile_site: Path) -> Element:
    return parse_file(hostile_site / HOSTILE_URL / "index.html")


def test_hostile_text_appears_as_text_on_the_record_page(hostile_site: Path, record_page: Element) -> None:
    assert record_page.find("h1").text() == TITLE
    assert record_page.find("p", id="summary").text() == SUMMARY
    findings = [item.text() for item in record_page.find("ul", cls="findings").find_all("li")]
    assert findings == [FINDING, SCRIPT]  # a refused link stays as the Markdown that was written
    main_text = record_page.find("main").text()
    assert f"A heading {SCRIPT}" in main_text
    assert IMG in main_text
    raw = (hostile_site / HOSTILE_URL / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw


def test_template_syntax_in_content_is_not_evaluated(record_page: Element) -> None:
    title = record_page.find("h1").text()
    assert "{{ 7*7 }}" in title and "{% raw %}" in title
    assert "49" not in title


def test_no_page_has_a_foreign_script_image_or_event_handler(hostile_site: Path) -> None:
    pages = site_pages(hostile_site)
    assert len(pages) > 20
    for page in pages:
        for element in parse_file(page.path).iter():
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert not handlers, f"/{page.url}: <{element.tag}> has {handlers}"
            assert element.tag not in {"img", "iframe", "object", "embed"}, f"/{page.url}: <{element.tag}>"
            if element.tag == "script":
                assert_own_script(hostile_site, page.url, element)


def assert_own_script(site: Path, url: str, script: Element) -> None:
    """A script is ours: JSON-LD data, or a file of the site's own assets or search index."""
    if script.get("type") == "application/ld+json":
        json.loads(script.raw_text())
        return
    src = script.get("src")
    assert src and not is_external(src), f"/{url}: inline or foreign script {script.attrs}"
    target = resolve_link(BASE, url, src)
    assert target is not None and target.file.startswith(("assets/", "pagefind/")), f"/{url}: {src}"
    assert (site / target.file).is_file()


def test_unsafe_links_are_not_emitted(hostile_site: Path, record_page: Element) -> None:
    for page in site_pages(hostile_site):
        for element in parse_file(page.path).iter():
            for name in ("href", "src", "action", "formaction", "srcset"):
                value = element.get(name).strip().lower()
                assert not value.startswith(BAD_SCHEMES), f"/{page.url}: <{element.tag} {name}={value!r}>"
    main = record_page.find("main")
    labels = {anchor.text() for anchor in main.find_all("a")}
    assert {"x", "y", "z", "w", "v", "raw anchor"}.isdisjoint(labels)
    assert "safe" in labels
    assert "A paragraph with [x](javascript:alert(1)), [y](data:text/html,<b>hi</b>)," in main.text()
    assert "![pic](javascript:alert(1))" in main.text()


def test_json_ld_cannot_be_broken_out_of(record_page: Element) -> None:
    scripts = record_page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].raw_text())
    assert data["name"] == TITLE
    assert data["description"] == SUMMARY
    assert [author["name"] for author in data["author"]] == [IMG]
    assert "</" not in scripts[0].raw_text()


def test_attributes_keep_hostile_text_inside_them(record_page: Element) -> None:
    description = record_page.find("meta", name="description").get("content")
    assert description == SUMMARY
    assert record_page.find("meta", property="og:title").get("content").startswith(TITLE)


def test_lists_and_feed_show_hostile_title_as_text(hostile_site: Path) -> None:
    listing = parse_file(hostile_site / "evidence" / "index.html").find("main")
    assert TITLE in [anchor.text() for anchor in listing.find_all("a")]
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title")
              for entry in feed.findall("{http://www.w3.org/2005/Atom}entry")]
    assert TITLE in titles
