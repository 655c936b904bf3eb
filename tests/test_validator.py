"""The validator: every diagnostic of issue 2, its exact text, file, line and hint.

Each case copies the valid fixture (tests/fixtures/valid) into a temporary `content/` folder,
plants or removes a few files, loads it as `coprod-site check` does, and compares the whole
list of diagnostics, in report order, with what an editor should read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from content_factory import FIXTURE, TODAY, fixture_text, load_content, make_content, record, shown
from coprod_site.diagnostics import Diagnostic
from coprod_site.load import load_site

X = "content/evidence/x.md"
RECORD_FIELDS = ("title, year, published, url, authors, summary, findings, organisations, methods, "
                 "principles, benefits, added, reviewed, coproduced")
ANCHOR_HINT = "remove it; if '&' belongs to the text, put the whole text in double quotes"
ALIAS_HINT = "write the value out in full; if '*' belongs to the text, put the whole text in double quotes"
TAG_HINT = "remove it; if '!' belongs to the text, put the whole text in double quotes"
TAG_MESSAGE = "marks a type, which content files do not allow"
MAPPING_HINT = "write one 'field: value' per line"
INDENT_MESSAGE = "this line starts with a space, so it does not line up with the lines around it"
COLON_MESSAGE = "the text contains ': ', which YAML reads as a new field"
LIST_HINT = "write each item on its own line starting with '- ', or as [first, second]"
BOOLEAN_HINT = "write true or false without quotes (yes, no, on and off are not accepted)"
URL_HINT = "copy the full address from the browser, starting with https://"
H1_HINT = "use '## ' for headings in the body; the title is the page's heading"
MODEL_HINT = ("records go in evidence/<id>.md, pages in pages/<id>.md, "
              "taxonomies in taxonomies/<name>.yml")
ID_HINT = "use lowercase letters, digits and single hyphens, for example"
DUPLICATE_ID_HINT = "rename one of the two files; every record needs its own id"
COLLISION_HINT = "rename one of them: two pages cannot share an address"
UNUSED_HINT = "tag a record with it, or remove it"
REVIEW_HINT = "check the record against its source, then set reviewed to today's date"
PRINCIPLES = "terms in content/taxonomies/principles.yml: equality, reciprocity, accessibility"

METHODS = fixture_text("taxonomies/methods.yml")  # 14 lines: a term added here starts on line 15
ORGANISATIONS = fixture_text("taxonomies/organisations.yml")
BENEFITS = fixture_text("taxonomies/benefits.yml")  # 20 lines: a term added here starts on line 21
BENEFIT_GROUPS = "groups:\n  intrinsic: Intrinsic benefits\n  instrumental: Instrumental benefits\n"
PANEL = "  - id: panel\n    name: Panel\n    description: A group of people who meet to advise.\n"
PAGE = "---\ntitle: A page\nsummary: A page that takes an address.\n---\nText.\n"
ABOUT_TAXONOMY = ("name: About\ndescription: What a source is about.\n"
                  "terms:\n  - id: care\n    name: Care\n    description: Care services.\n")


def big_record(size: int) -> str:
    """A valid record of exactly `size` bytes."""
    return record(body="x" * (size - len(record(body=""))))


def case(case_id: str, changes: dict[str, str | bytes], *expected: tuple[str, str],
         remove: tuple[str, ...] = ()) -> Any:
    """One table row: files to plant, files to remove, and every (headline, hint) expected."""
    return pytest.param(changes, remove, list(expected), id=case_id)


FILES = [
    case("not-utf8", {"evidence/x.md": record(title="title: Café").encode("latin-1")},
         (f"{X}:2:11: error: file: is not valid UTF-8 text", "save the file with UTF-8 encoding")),
    case("nul-byte", {"evidence/x.md": record(title="title: a\x00b")},
         (f"{X}:2:9: error: file: contains a NUL byte", "save the file as plain UTF-8 text")),
    case("over-1mb", {"evidence/x.md": big_record(1_000_001)},
         (f"{X}:1:1: error: file: is 1,000,001 bytes; the limit is 1 MB",
          "split the text or link to the source instead of copying it")),
    case("exactly-1mb-accepted", {"evidence/x.md": big_record(1_000_000)}),
    case("bom-and-crlf-accepted",
         {"evidence/x.md": b"\xef\xbb\xbf" + record().replace("\n", "\r\n").encode()}),
    case("bom-and-crlf-keep-line-numbers",
         {"evidence/x.md": b"\xef\xbb\xbf" + record(year="year: 20x5").replace("\n", "\r\n").encode()},
         (f"{X}:3:7: error: year: must be a whole number, not '20x5'", "for example: year: 2022")),
    case("lone-carriage-return", {"evidence/x.md": record(title="title: a\rb")},
         (f"{X}:2:9: error: file: has a carriage return (CR) that is not followed by a line feed",
          "save the file with LF (Unix) or CRLF (Windows) line endings")),
    case("outside-the-content-model",
         {"notes.txt": "hello", "evidence/readme.txt": "x", "pages/drafts/x.md": PAGE, "site.yaml": "x"},
         ("content/evidence/readme.txt:1:1: error: file: is not part of the content model", MODEL_HINT),
         ("content/notes.txt:1:1: error: file: is not part of the content model", MODEL_HINT),
         ("content/pages/drafts/x.md:1:1: error: file: is not part of the content model", MODEL_HINT),
         ("content/site.yaml:1:1: error: file: is not part of the content model", MODEL_HINT)),
    case("site-yml-missing", {},
         ("content/site.yml:1:1: error: file: is missing",
          "add site.yml with title, description and base_url"),
         remove=("site.yml",)),
    case("site-base-url-not-https",
         {"site.yml": "title: T\ndescription: D.\nbase_url: http://example.org/\n"},
         ("content/site.yml:3:1: error: base_url: must start with https://",
          "the published site's full https address")),
]

FRONT_MATTER = [
    case("missing", {"evidence/x.md": "title: A record\n"},
         (f"{X}:1:1: error: front matter: is missing: the file must start with a line '---'",
          "begin the file with '---', then one 'field: value' per line, then '---'")),
    case("unterminated", {"evidence/x.md": "---\ntitle: A record\n"},
         (f"{X}:1:1: error: front matter: starts on line 1 but is never closed",
          "add a line '---' after the last field")),
    case("a-list", {"evidence/x.md": "---\n- title\n- year\n---\n"},
         (f"{X}:2:1: error: front matter: must be 'field: value' lines, but is a list",
          MAPPING_HINT)),
    case("a-scalar", {"evidence/x.md": "---\njust some text\n---\n"},
         (f"{X}:2:1: error: front matter: must be 'field: value' lines, "
          "but is a single value", MAPPING_HINT)),
    case("empty", {"evidence/x.md": "---\n---\n"},
         (f"{X}:2:1: error: front matter: must be 'field: value' lines, but is empty",
          MAPPING_HINT)),
    case("yaml-syntax-error", {"evidence/x.md": record(findings="findings:\n  - one\n - two")},
         (f"{X}:8:1: error: front matter: {INDENT_MESSAGE}",
          "start the line with 2 spaces, like the other lines at its level")),
    case("unclosed-quote", {"evidence/x.md": record(title="title: 'Community garden")},
         (f"{X}:2:8: error: front matter: the quote (') that opens here is never closed",
          "add the closing ' at the end of the text")),
    case("tab-indent", {"evidence/x.md": record(findings="findings:\n\t- one")},
         (f"{X}:7:1: error: front matter: this line starts with a tab, and YAML only allows spaces there",
          "replace the tab with spaces")),
    case("duplicate-key", {"evidence/x.md": record(extra="title: Again")},
         (f"{X}:13:1: error: front matter: repeats the key 'title' (first on line 2)",
          "remove one of the two")),
    case("anchor", {"evidence/x.md": record(methods="methods: &m [survey]")},
         (f"{X}:9:10: error: front matter: '&m' marks this value for use elsewhere, which content files "
          "do not allow", ANCHOR_HINT)),
    case("alias", {"evidence/x.md": record(methods="methods: *m")},
         (f"{X}:9:10: error: front matter: '*m' stands for a value marked elsewhere, which content files "
          "do not allow", ALIAS_HINT)),
    case("tag-python-object", {"evidence/x.md": record(title="title: !!python/object/apply:os.system [ls]")},
         (f"{X}:2:8: error: front matter: '!!python/object/apply:os.system' {TAG_MESSAGE}", TAG_HINT)),
    case("tag-include", {"evidence/x.md": record(title="title: !include other.md")},
         (f"{X}:2:8: error: front matter: '!include' {TAG_MESSAGE}", TAG_HINT)),
    case("tag-binary", {"evidence/x.md": record(title="title: !!binary aGVsbG8=")},
         (f"{X}:2:8: error: front matter: '!!binary' {TAG_MESSAGE}", TAG_HINT)),
    case("absurd-nesting", {"evidence/x.md": record(extra="authors: " + "[" * 8 + "x" + "]" * 8)},
         (f"{X}:13:17: error: front matter: puts lists or indented lines more than 8 levels deep",
          "use a plain list or plain text instead")),
    case("control-character", {"evidence/x.md": record(title="title: a\x1bb")},
         (f"{X}:2:9: error: front matter: contains the control character U+001B, which YAML does not allow",
          "delete it (it is invisible in most editors: retype the text around it)")),
    case("line-separator", {"evidence/x.md": record(title="title: a\u2028b")},
         (f"{X}:2:9: error: front matter: contains the invisible line separator U+2028, "
          "which YAML reads as a line break",
          "delete it (it often comes with pasted text), or replace it with a space")),
    case("more-than-one-document", {"taxonomies/methods.yml": METHODS + "---\nname: Again\n"},
         ("content/taxonomies/methods.yml:15:1: error: file: holds more than one YAML document",
          "remove the extra '---' line")),
]

# The slips editors make most, each with the cause named and the fix in plain words (issue 15).
OTHER_QUOTES = ("put the whole text in quotes; if the text holds an apostrophe or quotes, use the other "
                "kind around it, for example \"People's garden\" or 'The \"garden\" project'")
FINDING_COLON = "the text contains ': ', which YAML reads as a name and a value"
SLIPS = [
    case("finding-with-unquoted-colon",
         {"evidence/x.md": record(findings="findings:\n  - Result: people met more often.")},
         (f"{X}:7:5: error: findings: {FINDING_COLON}",
          'put the whole text in double quotes, like this: "Result: people met more often."')),
    case("finding-with-unquoted-colon-in-brackets",
         {"evidence/x.md": record(findings="findings: [Result: people met.]")},
         (f"{X}:6:12: error: findings: {FINDING_COLON}",
          'put the whole text in double quotes, like this: "Result: people met."')),
    case("summary-with-unquoted-colon", {"evidence/x.md": record(summary='summary: In short: a "garden"')},
         (f"{X}:5:18: error: front matter: {COLON_MESSAGE}",
          "put the whole text in single quotes, as it holds double quotes, like this: "
          """summary: 'In short: a "garden"'""")),
    case("field-indented-by-one-space", {"evidence/x.md": record(year=" year: 2025")},
         (f"{X}:3:1: error: front matter: {INDENT_MESSAGE}", "remove the space at the start of the line")),
    case("first-field-indented-by-one-space", {"evidence/x.md": record(title=" title: Garden")},
         (f"{X}:2:1: error: front matter: {INDENT_MESSAGE}", "remove the space at the start of the line")),
    case("last-field-indented-by-one-space", {"evidence/x.md": record(added=" added: 2026-10-01")},
         (f"{X}:12:1: error: front matter: {INDENT_MESSAGE}", "remove the space at the start of the line")),
    case("indented-after-a-block-of-text-with-colons",
         {"evidence/x.md": record(summary="summary: >-\n  Note: a line.", added=" added: 2026-10-01")},
         (f"{X}:13:1: error: front matter: {INDENT_MESSAGE}", "remove the space at the start of the line")),
    case("indented-after-quoted-text-over-two-lines",
         {"evidence/x.md": record(summary='summary: "Text that goes on\n  here: and on"',
                                  added=" added: 2026-10-01")},
         (f"{X}:13:1: error: front matter: {INDENT_MESSAGE}", "remove the space at the start of the line")),
    case("field-indented-by-three-spaces", {"evidence/x.md": record(added="   added: 2026-10-01")},
         (f"{X}:12:1: error: front matter: this line starts with 3 spaces, so it does not line up with "
          "the lines around it", "remove the spaces at the start of the line")),
    case("url-in-curly-quotes", {"evidence/x.md": record(url="url: \u201chttps://example.org/garden\u201d")},
         (f"{X}:4:6: error: url: '\u201chttps://example.org/garden\u201d' is in curly quotes, "
          "which are kept as part of the value",
          'use straight quotes (") or none, like this: url: https://example.org/garden')),
    case("date-in-curly-quotes", {"evidence/x.md": record(added="added: \u20182026-10-01\u2019")},
         (f"{X}:12:8: error: added: '\u20182026-10-01\u2019' is in curly quotes, "
          "which are kept as part of the value",
          'use straight quotes (") or none, like this: added: 2026-10-01')),
    case("curly-quotes-inside-text-accepted",
         {"evidence/x.md": record(title="title: \u201cGarden\u201d project")}),
    case("tab-before-a-field", {"evidence/x.md": record(year="\tyear: 2025")},
         (f"{X}:3:1: error: front matter: this line starts with a tab, and YAML only allows spaces there",
          "replace the tab with spaces")),
    case("unclosed-double-quote-in-a-list",
         {"evidence/x.md": record(findings='findings:\n  - "People met\n  - Others')},
         (f'{X}:7:5: error: front matter: the quote (") that opens here is never closed',
          'add the closing " at the end of the text')),
    case("text-after-closing-quote", {"evidence/x.md": record(title='title: "The garden" project')},
         (f"{X}:2:8: error: front matter: this line has text after the closing quote", OTHER_QUOTES)),
    case("apostrophe-in-single-quotes", {"evidence/x.md": record(title="title: 'People's garden'")},
         (f"{X}:2:8: error: front matter: this line has text after the closing quote", OTHER_QUOTES)),
    case("field-without-colon", {"evidence/x.md": record(extra="reviewed 2026-11-01")},
         (f"{X}:14:1: error: front matter: this line has no ':' after the field name",
          "write each field as its name, a colon, a space and the value, for example: year: 2022")),
    case("list-without-closing-bracket", {"evidence/x.md": record(methods="methods: [survey")},
         (f"{X}:10:11: error: front matter: the list that starts with '[' is not closed with ']' where "
          "expected", "end the list with ']', and put any item that holds a comma or ': ' in double quotes")),
    case("text-starting-with-at-sign", {"evidence/x.md": record(title="title: @garden")},
         (f"{X}:2:8: error: front matter: the text starts with '@', which YAML does not allow at the "
          "start of a value", "put the whole text in double quotes")),
    case("no-space-after-colon", {"evidence/x.md": record(year="year:2025")},
         (f"{X}:3:1: error: front matter: this line has no space after the ':'",
          "put a space after the colon, like this: year: 2025")),
    case("backslash-in-double-quotes", {"evidence/x.md": record(title='title: "Folder C:\\Users"')},
         (f"{X}:2:18: error: front matter: the text in double quotes holds a backslash (\\), which YAML "
          "reads as the start of a special character",
          "put the text in single quotes instead, or write each backslash twice (\\\\)")),
    case("text-after-brackets", {"evidence/x.md": record(title="title: [Draft] garden")},
         (f"{X}:2:8: error: front matter: this line has text after the ']' that ends a list",
          "a value that starts with '[' is read as a list; if it is text, put the whole text in double "
          'quotes, like this: title: "[Draft] garden"')),
    case("text-in-braces", {"evidence/x.md": record(title="title: {garden}")},
         (f"{X}:2:8: error: title: must be text, not 'name: value' pairs",
          "if the text starts with '[' or '{', put the whole text in double quotes")),
    case("list-item-on-the-field-line", {"evidence/x.md": record(findings="findings: - One.")},
         (f"{X}:6:11: error: front matter: a list item ('- ') must start a line of its own",
          "end the line after 'findings:', then write each item on its own line, starting with two "
          "spaces and '- '")),
    case("text-starting-with-a-bar", {"evidence/x.md": record(title="title: | garden")},
         (f"{X}:2:8: error: front matter: the text starts with '|', which YAML reads as the start of a "
          "block of text on the lines below",
          'put the whole text in double quotes, like this: title: "| garden"')),
    case("missing-first-field", {"evidence/x.md": record(title=None)},
         (f"{X}:2:1: error: title: required field 'title' is missing",
          "add it on a new line above 'year:', for example: title: Value of co-production project")),
    case("missing-last-field", {"evidence/x.md": record(added=None)},
         (f"{X}:11:1: error: added: required field 'added' is missing",
          "add it on a new line after the last field, for example: added: 2026-01-31")),
]

FIELDS = [
    case("unknown-field-did-you-mean", {"evidence/x.md": record(extra="autors: [Jo Example]")},
         (f"{X}:13:1: error: autors: unknown field 'autors'",
          f"did you mean 'authors'? valid fields: {RECORD_FIELDS}")),
    case("unknown-field", {"evidence/x.md": record(extra="colour: green")},
         (f"{X}:13:1: error: colour: unknown field 'colour'", f"valid fields: {RECORD_FIELDS}")),
    case("missing-required-field", {"evidence/x.md": record(url=None)},
         (f"{X}:4:1: error: url: required field 'url' is missing",
          "add it on a new line above 'summary:', for example: url: https://example.org/report")),
    case("empty-required-field", {"evidence/x.md": record(title="title:")},
         (f"{X}:2:1: error: title: required field 'title' is empty",
          "fill it in, for example: title: Value of co-production project")),
    case("quoted-empty-text", {"evidence/x.md": record(title='title: ""')},
         (f"{X}:2:8: error: title: is empty", "fill it in, or remove the line if it is optional")),
    case("year-as-text", {"evidence/x.md": record(year="year: twenty twenty")},
         (f"{X}:3:7: error: year: must be a whole number, not 'twenty twenty'", "for example: year: 2022")),
    case("year-unknown-accepted", {"evidence/x.md": record(year="year: unknown")}),
    case("findings-as-a-scalar", {"evidence/x.md": record(findings="findings: People met neighbours.")},
         (f"{X}:6:11: error: findings: must be a list, not a single value", LIST_HINT)),
    case("findings-empty-list", {"evidence/x.md": record(findings="findings: []")},
         (f"{X}:6:11: error: findings: must list at least one item", "for example: findings: [...]")),
    case("findings-empty-item", {"evidence/x.md": record(findings="findings:\n  -\n  - One.")},
         (f"{X}:7:4: error: findings: item 1 is empty", "remove the empty '- ' line")),
    case("authors-as-a-mapping", {"evidence/x.md": record(extra="authors:\n  name: Jo Example")},
         (f"{X}:14:3: error: authors: must be a list, not 'name: value' pairs", LIST_HINT)),
    case("title-as-a-list", {"evidence/x.md": record(title="title: [a, b]")},
         (f"{X}:2:8: error: title: must be text, not a list",
          "if the text starts with '[' or '{', put the whole text in double quotes")),
    case("number-too-long", {"evidence/x.md": record(year="year: " + "9" * 5000)},
         (f"{X}:3:7: error: year: is a number with more than 18 digits", "for example: year: 2022")),
    case("coproduced-quoted-true", {"evidence/x.md": record(extra='coproduced: "true"')},
         (f"{X}:13:13: error: coproduced: must be true or false, not 'true'", BOOLEAN_HINT)),
    case("year-012345", {"evidence/x.md": record(year="year: 012345")},
         (f"{X}:3:7: error: year: must be a whole number, not '012345'", "for example: year: 2022")),
    case("unquoted-hash", {"evidence/x.md": record(title="title: Foo #1 bar")},
         (f"{X}:2:8: error: title: has ' #' in it, and YAML drops everything after it as a comment",
          "put the whole value in double quotes to keep the text")),
    case("unquoted-colon-space", {"evidence/x.md": record(title="title: a: b")},
         (f"{X}:2:9: error: front matter: {COLON_MESSAGE}",
          'put the whole text in double quotes, like this: title: "a: b"')),
    case("unquoted-colon-on-next-line", {"evidence/x.md": record(title="title: a\n  b: c")},
         (f"{X}:3:4: error: front matter: {COLON_MESSAGE}",
          "put the whole text in double quotes, from its first line to its last")),
]

VALUES = [
    case("date-not-real", {"evidence/x.md": record(extra="published: 2022-02-30")},
         (f"{X}:13:12: error: published: '2022-02-30' is not a real date", "check the day and month")),
    case("date-wrong-form", {"evidence/x.md": record(added="added: 27/10/2022")},
         (f"{X}:12:8: error: added: '27/10/2022' is not a date in the form YYYY-MM-DD",
          "write the date as year-month-day, for example added: 2022-10-27")),
    case("date-with-time", {"evidence/x.md": record(added="added: 2026-10-01T10:00:00")},
         (f"{X}:12:8: error: added: '2026-10-01T10:00:00' is not a date in the form YYYY-MM-DD",
          "write the date as year-month-day, for example added: 2022-10-27")),
    case("added-in-the-future", {"evidence/x.md": record(added="added: 2026-11-28")},
         (f"{X}:12:1: error: added: 2026-11-28 is in the future",
          "use the date the record was added, no later than today")),
    case("added-today-accepted", {"evidence/x.md": record(added="added: 2026-11-27")}),
    case("reviewed-in-the-future", {"evidence/x.md": record(extra="reviewed: 2027-01-01")},
         (f"{X}:13:1: error: reviewed: 2027-01-01 is in the future",
          "use the date the record was reviewed, no later than today")),
    case("year-before-1900", {"evidence/x.md": record(year="year: 1899")},
         (f"{X}:3:1: error: year: 1899 is outside 1900 to 2027",
          "write the four-digit year the source was published")),
    case("year-after-next-year", {"evidence/x.md": record(year="year: 2028")},
         (f"{X}:3:1: error: year: 2028 is outside 1900 to 2027",
          "write the four-digit year the source was published")),
    case("year-1900-accepted", {"evidence/x.md": record(year="year: 1900")}),
    case("year-next-year-accepted", {"evidence/x.md": record(year="year: 2027")}),
    case("year-published-mismatch", {"evidence/x.md": record(extra="published: 2024-05-01")},
         (f"{X}:13:1: error: published: 2024-05-01 is not in the record's year 2025",
          "make year and published agree")),
    case("url-javascript", {"evidence/x.md": record(url="url: javascript:alert(1)")},
         (f"{X}:4:6: error: url: 'javascript:alert(1)' is not an http or https address", URL_HINT)),
    case("url-ftp", {"evidence/x.md": record(url="url: ftp://example.org/garden.pdf")},
         (f"{X}:4:6: error: url: 'ftp://example.org/garden.pdf' is not an http or https address", URL_HINT)),
    case("url-relative", {"evidence/x.md": record(url="url: /reports/garden")},
         (f"{X}:4:6: error: url: '/reports/garden' is not an http or https address", URL_HINT)),
    case("url-with-space", {"evidence/x.md": record(url="url: https://example.org/a garden")},
         (f"{X}:4:6: error: url: 'https://example.org/a garden' is not an http or https address",
          URL_HINT)),
    case("summary-over-60-words", {"evidence/x.md": record(summary="summary: " + "word " * 61)},
         (f"{X}:5:1: error: summary: has 61 words; the limit is 60",
          "shorten it: the findings and the body hold the detail")),
    case("summary-of-60-words-accepted", {"evidence/x.md": record(summary="summary: " + "word " * 60)}),
    case("level-1-heading", {"evidence/x.md": record(body="Intro.\n\n# Heading\n")},
         (f"{X}:16:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-1-heading-underlined", {"evidence/x.md": record(body="Heading\n=======\n")},
         (f"{X}:14:1: error: body: has a level-1 heading (a line underlined with '===')", H1_HINT)),
    case("level-1-heading-after-code", {"evidence/x.md": record(body="```\n~~~\n```\n# Heading\n")},
         (f"{X}:17:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-1-heading-in-page",
         {"pages/about.md": "---\ntitle: About\nsummary: About us.\n---\n# About\n"},
         ("content/pages/about.md:5:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-1-heading-in-a-quote", {"evidence/x.md": record(body="> # Quoted\n")},
         (f"{X}:14:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-1-heading-in-a-list", {"evidence/x.md": record(body="- one\n- two\n\n1. # Numbered\n")},
         (f"{X}:17:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-1-heading-indented-and-empty", {"evidence/x.md": record(body="Text.\n\n   #\n")},
         (f"{X}:16:1: error: body: has a level-1 heading ('# ...')", H1_HINT)),
    case("level-2-headings-and-hashtags-accepted",
         {"evidence/x.md": record(body="## Two\n\n#hashtag and C# code\n\nText\n---\n")}),
    case("hash-in-fenced-code-accepted",
         {"evidence/x.md": record(body="```sh\n# a shell comment\n```\n\n    # indented code\n")}),
]

TERMS = [
    case("unknown-term-did-you-mean", {"evidence/x.md": record(principles="principles: [equalty]")},
         (f"{X}:10:14: error: principles: unknown term 'equalty'", f"did you mean 'equality'? {PRINCIPLES}")),
    case("unknown-term", {"evidence/x.md": record(principles="principles: [kindness]")},
         (f"{X}:10:14: error: principles: unknown term 'kindness'", PRINCIPLES)),
    case("duplicate-term",
         {"evidence/x.md": record(principles="principles: [equality, reciprocity, equality]")},
         (f"{X}:10:37: error: principles: lists 'equality' twice (also item 1)", "remove the repeated term")),
    case("missing-required-taxonomy", {"evidence/x.md": record(benefits=None)},
         (f"{X}:11:1: error: benefits: required field 'benefits' is missing",
          "add it on a new line above 'added:', for example: benefits: [empowerment]")),
    case("empty-required-taxonomy", {"evidence/x.md": record(benefits="benefits: []")},
         (f"{X}:11:11: error: benefits: must list at least one item",
          "for example: benefits: [empowerment]")),
    case("terms-as-a-scalar", {"evidence/x.md": record(principles="principles: equality")},
         (f"{X}:10:13: error: principles: must be a list, not a single value", LIST_HINT)),
]

TAXONOMIES = [
    case("duplicate-term-id", {"taxonomies/methods.yml": METHODS + PANEL.replace("panel", "survey")},
         ("content/taxonomies/methods.yml:15:5: error: terms[4].id: the term id 'survey' is already used "
          "on line 6", "give each term its own id")),
    case("malformed-term-id", {"taxonomies/methods.yml": METHODS + PANEL.replace("panel", "Focus Groups")},
         ("content/taxonomies/methods.yml:15:5: error: terms[4].id: 'Focus Groups' is not a valid term id",
          f"{ID_HINT} 'focus-groups'")),
    case("term-in-undeclared-group", {"taxonomies/benefits.yml": BENEFITS + PANEL + "    group: economic\n"},
         ("content/taxonomies/benefits.yml:24:5: error: terms[4].group: the group 'economic' is not "
          "declared in this file's groups", "declared groups: intrinsic, instrumental")),
    case("term-without-group", {"taxonomies/benefits.yml": BENEFITS + PANEL},
         ("content/taxonomies/benefits.yml:21:5: error: terms[4].group: the term 'panel' has no group, "
          "but this taxonomy declares groups",
          "add a line 'group: <id>' with one of: intrinsic, instrumental")),
    case("term-missing-name", {"taxonomies/methods.yml": METHODS + PANEL.replace("    name: Panel\n", "")},
         ("content/taxonomies/methods.yml:16:5: error: terms[4].name: required field 'name' is missing",
          "add it on a new line above 'description:', for example: name: Reciprocity")),
    case("term-not-a-mapping", {"taxonomies/methods.yml": METHODS + "  - panel\n"},
         ("content/taxonomies/methods.yml:15:5: error: terms[4]: must be 'field: value' lines, "
          "but is a single value", MAPPING_HINT)),
    case("taxonomy-missing-name", {"taxonomies/methods.yml": METHODS.replace("name: Methods\n", "")},
         ("content/taxonomies/methods.yml:1:1: error: name: required field 'name' is missing",
          "add it on a new line above 'description:', for example: name: Principles")),
    case("taxonomy-terms-empty", {"taxonomies/methods.yml": METHODS.split("terms:")[0] + "terms:\n"},
         ("content/taxonomies/methods.yml:5:1: error: terms: required field 'terms' is empty",
          "fill it in: the terms, each with id, name and description.")),
    case("groups-not-a-mapping",
         {"taxonomies/benefits.yml": BENEFITS.replace(BENEFIT_GROUPS, "groups: [a, b]\n")},
         ("content/taxonomies/benefits.yml:5:9: error: groups: must be 'id: label' lines, not a list",
          "for example:\n  groups:\n    intrinsic: Intrinsic benefits")),
    case("group-label-empty",
         {"taxonomies/benefits.yml": BENEFITS.replace("intrinsic: Intrinsic benefits", "intrinsic: ''")},
         ("content/taxonomies/benefits.yml:6:14: error: groups: is empty",
          "fill it in, or remove the line if it is optional")),
    case("duplicate-of-an-incomplete-term",
         {"taxonomies/methods.yml":
          METHODS.replace("    name: Survey\n", "") + PANEL.replace("panel", "survey")},
         ("content/taxonomies/methods.yml:7:5: error: terms[1].name: required field 'name' is missing",
          "add it on a new line above 'description:', for example: name: Reciprocity"),
         ("content/taxonomies/methods.yml:14:5: error: terms[4].id: the term id 'survey' is already used "
          "on line 6", "give each term its own id")),
    case("core-taxonomy-missing", {},
         ("content/taxonomies:1:1: error: taxonomies: the taxonomy 'methods' is missing",
          "add content/taxonomies/methods.yml with name, description and terms"),
         remove=("taxonomies/methods.yml",)),
    case("taxonomy-file-name-malformed", {"taxonomies/Settings.yml": ABOUT_TAXONOMY},
         ("content/taxonomies/Settings.yml:1:1: error: file name: 'Settings' is not a valid taxonomy id",
          f"{ID_HINT} 'settings', then rename the file")),
    case("taxonomy-named-like-a-field", {"taxonomies/year.yml": ABOUT_TAXONOMY},
         ("content/taxonomies/year.yml:1:1: error: file name: 'year' is already the name of a record field",
          "choose another name for this taxonomy")),
    case("no-publisher-taxonomy",
         {"taxonomies/organisations.yml": ORGANISATIONS.replace("role: publisher\n", "")},
         ("content/taxonomies:1:1: error: role: no taxonomy declares 'role: publisher' (taxonomies: "
          "content/taxonomies/benefits.yml, content/taxonomies/methods.yml, "
          "content/taxonomies/organisations.yml, content/taxonomies/principles.yml)",
          "add the line 'role: publisher' to the taxonomy of the organisations that publish the records, "
          "so citations name them")),
    case("two-publisher-taxonomies", {"taxonomies/methods.yml": "role: publisher\n" + METHODS},
         *[(f"content/taxonomies/{name}.yml:1:1: error: role: 'role: publisher' is declared by 2 taxonomies: "
            "content/taxonomies/methods.yml, content/taxonomies/organisations.yml",
            "keep 'role: publisher' only in the taxonomy of the organisations that publish the records")
           for name in ("methods", "organisations")]),
    case("unknown-taxonomy-role", {"taxonomies/methods.yml": "role: author\n" + METHODS},
         ("content/taxonomies/methods.yml:1:1: error: role: 'author' is not a role a taxonomy can play",
          "the only role is 'publisher'")),
]

IDS_AND_OUTPUTS = [
    case("record-id-uppercase", {"evidence/Upper.md": record()},
         ("content/evidence/Upper.md:1:1: error: file name: 'Upper' is not a valid record id "
          "(record ids are the file name without .md)", f"{ID_HINT} 'upper', then rename the file")),
    case("record-id-double-hyphen", {"evidence/double--hyphen.md": record()},
         ("content/evidence/double--hyphen.md:1:1: error: file name: 'double--hyphen' is not a valid "
          "record id (record ids are the file name without .md)",
          f"{ID_HINT} 'double-hyphen', then rename the file")),
    case("record-id-duplicated", {"evidence/2024/garden.md": record(), "evidence/2025/garden.md": record()},
         ("content/evidence/2025/garden.md:1:1: error: file name: has the same id as "
          "content/evidence/2024/garden.md", DUPLICATE_ID_HINT)),
    case("record-id-case-only", {"evidence/Foo.md": record(), "evidence/foo.md": record()},
         ("content/evidence/Foo.md:1:1: error: file name: 'Foo' is not a valid record id "
          "(record ids are the file name without .md)", f"{ID_HINT} 'foo', then rename the file"),
         ("content/evidence/foo.md:1:1: error: file name: has an id that differs only by case from "
          "content/evidence/Foo.md", DUPLICATE_ID_HINT)),
    case("page-id-malformed", {"pages/Read Me.md": PAGE},
         ("content/pages/Read Me.md:1:1: error: file name: 'Read Me' is not a valid page id",
          f"{ID_HINT} 'read-me'")),
    case("page-collides-with-evidence-list", {"pages/evidence.md": PAGE},
         ("content/pages/evidence.md:1:1: error: output: its page /evidence/ is also claimed by "
          "a built-in page", COLLISION_HINT)),
    case("page-collides-with-search", {"pages/search.md": PAGE},
         ("content/pages/search.md:1:1: error: output: its page /search/ is also claimed by "
          "a built-in page", COLLISION_HINT)),
    case("taxonomy-collides-with-page", {"taxonomies/about.yml": ABOUT_TAXONOMY},
         ("content/pages/about.md:1:1: error: output: its page /about/ is also claimed by "
          "content/taxonomies/about.yml", COLLISION_HINT),
         ("content/taxonomies/about.yml:1:1: error: output: its page /about/ is also claimed by "
          "content/pages/about.md", COLLISION_HINT),
         ("content/taxonomies/about.yml:4:1: warning: terms: the term 'care' is not used by any record",
          UNUSED_HINT)),
]

WARNINGS = [
    case("summary-repeats-title", {"evidence/x.md": record(summary="summary: Community garden project.")},
         (f"{X}:5:1: warning: summary: repeats the title",
          "say in plain words what the source is and what it found")),
    case("unused-term", {"taxonomies/methods.yml": METHODS + PANEL},
         ("content/taxonomies/methods.yml:15:1: warning: terms: the term 'panel' is not used by any record",
          UNUSED_HINT)),
    case("review-due", {"evidence/x.md": record(extra="reviewed: 2024-11-27")},
         (f"{X}:13:1: warning: reviewed: review due: last checked 2024-11-27, due 2026-11-27", REVIEW_HINT)),
    case("review-not-yet-due", {"evidence/x.md": record(extra="reviewed: 2024-11-28")}),
    case("review-due-from-added", {"evidence/x.md": record(added="added: 2024-01-31")},
         (f"{X}:12:1: warning: added: review due: last checked 2024-01-31, due 2026-01-31", REVIEW_HINT)),
    case("review-months-out-of-range",
         {"site.yml": fixture_text("site.yml").replace("review_months: 24", "review_months: 999999999")},
         ("content/site.yml:5:1: error: review_months: 999999999 is outside 1 to 120",
          "records are usually reviewed every 12 to 36 months")),
    case("review-months-zero",
         {"site.yml": fixture_text("site.yml").replace("review_months: 24", "review_months: 0")},
         ("content/site.yml:5:1: error: review_months: 0 is outside 1 to 120",
          "records are usually reviewed every 12 to 36 months")),
]

EDITOR_HINT = "delete it once the editor is closed; it is never published"
DEEP = ("nests quotes or lists deeper than the 20 levels the site can show; the text from this line on "
        "would be lost")
DEEP_HINT = "flatten the quotes or lists (a list counts as two levels, a quote as one)"
YOUTH = "evidence/youth-panel-interviews.md"

ROBUSTNESS = [
    case("editor-files-are-ignored-with-a-warning",
         {"evidence/x.md~": "old", "evidence/.x.md.swp": b"\x00swap", "#x.md#": "autosave",
          "pages/.DS_Store": b"\x00\x01", "Thumbs.db": b"\xff", "taxonomies/.#methods.yml": "lock"},
         *[(f"content/{name}:1:1: warning: file: is an editor's backup or temporary file, so it is ignored",
            EDITOR_HINT)
           for name in ("#x.md#", "Thumbs.db", "evidence/.x.md.swp", "evidence/x.md~", "pages/.DS_Store",
                        "taxonomies/.#methods.yml")]),
    case("quotes-nested-deeper-than-drawn",
         {"evidence/x.md": record(body="Intro.\n\n" + "> " * 20 + "Lost text.\n")},
         (f"{X}:16:1: error: body: {DEEP}", DEEP_HINT)),
    case("lists-nested-deeper-than-drawn",
         {"evidence/x.md": record(body="".join("  " * level + f"- item {level}\n" for level in range(10)))},
         (f"{X}:23:1: error: body: {DEEP}", DEEP_HINT)),
    case("nesting-as-deep-as-drawn-is-fine",
         {"evidence/x.md": record(body="> " * 19 + "Kept.\n\n"
                                  + "".join("  " * n + "- i\n" for n in range(9)))}),
    case("deep-nesting-in-a-page",
         {"pages/about.md": "---\ntitle: About\nsummary: About the library and who keeps it.\n---\n"
                            + ">" * 21 + " Lost.\n"},
         (f"content/pages/about.md:5:1: error: body: {DEEP}", DEEP_HINT)),
    case("a-record-that-fails-to-parse-adds-no-unused-term-warnings",
         {YOUTH: fixture_text(YOUTH).replace("title:", "title: [unclosed", 1)},
         (f"content/{YOUTH}:3:5: error: front matter: the list that starts with '[' is not closed with ']' "
          "where expected",
          "end the list with ']', and put any item that holds a comma or ': ' in double quotes")),
    case("a-record-with-a-wrong-value-still-counts-its-terms",
         {YOUTH: re.sub(r"\nyear: .*\n", "\nyear: soon\n", fixture_text(YOUTH), count=1)},
         (f"content/{YOUTH}:3:7: error: year: must be a whole number, not 'soon'",
          "for example: year: 2022")),
]

ALL_CASES = [*ROBUSTNESS, *FILES, *FRONT_MATTER, *SLIPS, *FIELDS, *VALUES, *TERMS, *TAXONOMIES,
             *IDS_AND_OUTPUTS, *WARNINGS]


@pytest.mark.parametrize(("changes", "remove", "expected"), ALL_CASES)
def test_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, str | bytes],
                    remove: tuple[str, ...], expected: list[tuple[str, str]]) -> None:
    result = load_content(make_content(tmp_path, changes, remove=remove))
    assert shown(result) == expected
    assert_plain(result.diagnostics)
    if not any(": error: " in headline for headline, _ in expected):
        assert result.site is not None


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "True", "y"])
def test_yaml_1_1_booleans_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       written: str) -> None:
    content = make_content(tmp_path, {"evidence/x.md": record(extra=f"coproduced: {written}")})
    assert shown(load_content(content)) == [
        (f"{X}:13:13: error: coproduced: must be true or false, not '{written}'", BOOLEAN_HINT),
    ]


@pytest.mark.parametrize(("line", "kept"), [
    ("title: no", "no"),
    ("title: yes", "yes"),
    ("title: 1.10", "1.10"),
    ("title: 12:30", "12:30"),
    ("title: 2022-10-27", "2022-10-27"),
    ("title: null island", "null island"),
    ('title: "Foo #1 bar"', "Foo #1 bar"),
    ('title: "a: b"', "a: b"),
], ids=["no", "yes", "1.10", "12:30", "date", "null-prefix", "quoted-hash", "quoted-colon"])
def test_yaml_1_1_text_is_kept_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          line: str, kept: str) -> None:
    result = load_content(make_content(tmp_path, {"evidence/x.md": record(title=line)}))
    assert shown(result) == []
    assert result.site is not None
    assert next(item for item in result.site.records if item.id == "x").title == kept


@pytest.mark.parametrize(("written", "kept"), [("coproduced: true", True), ("coproduced: false", False)])
def test_booleans_true_and_false(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 written: str, kept: bool) -> None:
    result = load_content(make_content(tmp_path, {"evidence/x.md": record(extra=written)}))
    assert result.site is not None
    assert next(item for item in result.site.records if item.id == "x").coproduced is kept


def test_year_unknown_has_no_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path, {"evidence/x.md": record(year="year: unknown")})
    result = load_content(content)
    assert result.site is not None
    assert next(item for item in result.site.records if item.id == "x").year is None


@pytest.mark.parametrize(("target", "where"), [
    ("evidence/peer-support-evaluation.md", "inside"),
    ("../secret.md", "outside"),
    ("/etc", "outside"),
    ("missing.md", "inside"),
], ids=["file-inside", "file-outside", "folder-outside", "broken"])
def test_symbolic_links_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    target: str, where: str) -> None:
    content = make_content(tmp_path)
    (tmp_path / "secret.md").write_text(record(), encoding="utf-8")
    link = content / "evidence" / "linked.md"
    link.symlink_to(content / target)  # an absolute target stays absolute
    assert shown(load_content(content)) == [
        (f"content/evidence/linked.md:1:1: error: file: is a symbolic link to a path {where} the "
         "content folder; links are not followed", "replace the link with the file itself"),
    ]


def test_file_name_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    with open(os.fsencode(content / "evidence") + b"/caf\xe9.md", "wb") as handle:
        handle.write(record().encode())
    assert shown(load_content(content)) == [
        ("content/evidence/caf\ufffd.md:1:1: error: file name: is not valid UTF-8",
         "rename the file using plain letters, digits and hyphens"),
    ]


def test_pipe_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    os.mkfifo(content / "pages" / "pipe.md")
    assert shown(load_content(content)) == [
        ("content/pages/pipe.md:1:1: error: file: is not a regular file",
         "replace it with an ordinary text file"),
    ]


def test_every_problem_in_a_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planted = record(year="year: soon", principles="principles: [equalty]", summary="summary: " + "w " * 70)
    result = load_content(make_content(tmp_path, {"evidence/x.md": planted}))
    assert [item.headline() for item in result.diagnostics] == [
        f"{X}:3:7: error: year: must be a whole number, not 'soon'",
        f"{X}:5:1: error: summary: has 70 words; the limit is 60",
        f"{X}:10:14: error: principles: unknown term 'equalty'",
    ]
    assert result.site is None


def test_problems_in_several_files_are_sorted_by_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changes: dict[str, str | bytes] = {
        "evidence/b.md": record(url="url: ftp://x", body="# One\n"),
        "evidence/a.md": record(added="added: 2030-01-01"),
        "pages/about.md": "---\ntitle: About\nsumary: x\n---\n",
    }
    result = load_content(make_content(tmp_path, changes))
    assert [(item.path, item.line, item.field) for item in result.diagnostics] == [
        ("content/evidence/a.md", 12, "added"),
        ("content/evidence/b.md", 4, "url"),
        ("content/evidence/b.md", 14, "body"),
        ("content/pages/about.md", 3, "sumary"),
        ("content/pages/about.md", 3, "summary"),
    ]
    assert list(result.diagnostics) == sorted(result.diagnostics)


def test_valid_fixture_loads_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = load_content(make_content(tmp_path))
    assert result.diagnostics == ()
    assert result.site is not None
    assert [record.id for record in result.site.records] == [
        "peer-support-evaluation", "shared-budget-pilot", "youth-panel-interviews"]
    assert [taxonomy.id for taxonomy in result.site.taxonomies] == [
        "organisations", "methods", "principles", "benefits"]


def test_fixture_is_used_as_is() -> None:
    assert load_site(FIXTURE, today=TODAY, display_root=FIXTURE.parent).diagnostics == ()


def test_real_content_validates_clean() -> None:
    repository = Path(__file__).resolve().parents[1]
    result = load_site(repository / "content", today=TODAY, display_root=repository)
    assert result.diagnostics == ()
    assert result.site is not None
    assert len(result.site.records) >= 3


HOSTILE = {
    "control": record(title="title: a\x01b"),
    "tag": record(title="title: !!python/name:os.system"),
    "complex-key": record(extra="? [a, b]\n: c"),
    "number-key": record(extra="12: twelve"),
    "deep-flow": record(extra="authors: " + "[" * 5000 + "]" * 5000),
    "directive": "---\n%YAML 1.1\n---\ntitle: x\n---\n",
    "nested-term-item": record(principles="principles: [[equality]]"),
    "term-item-mapping": record(principles="principles: [{equality: 1}]"),
    "group-label-list": BENEFITS.replace("intrinsic: Intrinsic benefits", "intrinsic: [a]"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_python_repr_reaches_an_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          name: str) -> None:
    rel = "taxonomies/benefits.yml" if name.startswith("group") else "evidence/x.md"
    result = load_content(make_content(tmp_path, {rel: HOSTILE[name]}))
    assert result.diagnostics
    assert_plain(result.diagnostics)


def assert_plain(diagnostics: tuple[Diagnostic, ...]) -> None:
    """Messages and fields are plain words: no repr, no traceback, no parser internals."""
    for item in diagnostics:
        for text in (item.field, item.message):
            assert "<" not in text and ">" not in text, item
        for text in (item.field, item.message, item.hint):
            for leak in ("Scalar(", "Seq(", "Map(", "Pos(", "Traceback", "object at 0x", "Error:", "\\u",
                         "mapping", "scalar", "token", "YAML syntax error"):
                assert leak not in text, item
        assert item.line >= 1 and item.column >= 1, item
        assert "\n" not in item.message, item

