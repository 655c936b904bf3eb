"""The plain floor: the least work a Python generator must do for each record page.

Usage::

    python bench/floor.py CONTENT OUT

A single-threaded loop over `CONTENT/evidence/*.md`: read the file, split the front matter,
parse it with libyaml (`yaml.CSafeLoader`), render the body with markdown-it-py (CommonMark,
raw HTML off) and the findings inline, render a minimal Jinja2 page, and write
`OUT/evidence/<id>/index.html`. No validation, no list or taxonomy pages, no search index.
The benchmark compares `coprod-site build --no-search` with this loop.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ meta.title }}</title></head>
<body>
<main>
<article data-pagefind-body>
<h1>{{ meta.title }}</h1>
<p>{{ meta.year }}</p>
<p class="summary">{{ meta.summary }}</p>
<ul class="findings">
{% for finding in findings %}<li>{{ finding }}</li>
{% endfor %}</ul>
{% for name in taxonomies %}{% if meta[name] %}<p>{{ name }}:
{% for term in meta[name] %}<a href="../../{{ name }}/{{ term }}/">{{ term }}</a> {% endfor %}</p>
{% endif %}{% endfor %}
<p><a href="{{ meta.url }}">{{ meta.url }}</a></p>
<div class="prose">
{{ body }}
</div>
</article>
</main>
</body>
</html>
"""
TAXONOMIES = ("organisations", "methods", "principles", "benefits")


def split(text: str) -> tuple[str, str]:
    """The YAML between the first two '---' lines, and the body after them."""
    _, yaml_text, body = text.split("---\n", 2)
    return yaml_text, body


def render_all(content: Path, out: Path) -> int:
    """Render every record under `content` into `out`; returns how many pages were written."""
    markdown = MarkdownIt("commonmark", {"html": False})
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(PAGE)
    count = 0
    for path in sorted((content / "evidence").glob("*.md")):
        yaml_text, body = split(path.read_text(encoding="utf-8"))
        meta: dict[str, Any] = yaml.load(yaml_text, Loader=yaml.CSafeLoader)
        findings = [Markup(markdown.renderInline(str(item)))
                    for item in meta.get("findings", ())]
        html = template.render(meta=meta, findings=findings, taxonomies=TAXONOMIES,
                               body=Markup(markdown.render(body)))
        target = out / "evidence" / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(html.encode("utf-8"))
        count += 1
    return count


def main() -> None:
    """The command line: python bench/floor.py CONTENT OUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    count = render_all(args.content, args.out)
    print(f"floor: {count} pages in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
