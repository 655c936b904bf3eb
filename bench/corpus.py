"""Synthetic corpus: a deterministic library of N evidence records for benchmarking.

Usage::

    python bench/corpus.py N DIR [--seed S]

writes a complete content folder into DIR: the repository's real `site.yml`, `taxonomies/`
and `pages/` (copied), and `evidence/synthetic-record-NNNNNN.md` for N records. Every record
is valid against the real taxonomies, so `coprod-site check --content DIR` reports no problems
for N >= the size of the largest taxonomy (every declared term is used at least once).

The text is obviously synthetic ("Synthetic record 12: ...", words drawn from a fixed
vocabulary and made-up pseudo-words) and never pretends to be real evidence. The same N and
seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import yaml

REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"
TAXONOMY_LIMITS = {"principles": (1, 4), "benefits": (1, 5), "organisations": (1, 3), "methods": (1, 2)}
YEARS = (1990, 2026)
CUTOFF = date(2026, 11, 1)  # added/reviewed dates fall in the 12 months before this day
FIRST_ADDED = date(2025, 11, 1)

COMMON = (
    "the", "of", "and", "to", "in", "a", "for", "with", "people", "services", "care", "co-production",
    "partners", "staff", "community", "health", "social", "support", "evidence", "local", "groups",
    "lived", "experience", "professionals", "commissioners", "voluntary", "outcomes", "design",
    "planning", "review", "learning", "shared", "power", "equal", "trust", "training", "time", "value",
    "families", "carers", "young", "older", "housing", "mental", "wellbeing", "practice", "councils",
    "project", "pilot", "survey", "interviews", "workshops", "stories", "feedback", "change", "budget",
    "resources", "decisions", "networks", "leaders", "members", "residents", "patients", "clinicians",
    "teams", "research", "findings", "report",
)
_SYLLABLES = ("ka", "lo", "mi", "ne", "su", "tor", "vel", "ran", "dis", "pem", "qua", "bri",
              "sel", "mo", "tha", "gun", "fe", "rix", "ol", "ba")
HEADINGS = ("What the synthetic source looked at", "How the made-up work was done",
            "What it found", "Related synthetic records", "Where to find it")


POOL_SIZE = 1 << 20


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A long fixed stream of words drawn with Zipf-like weights; text is a window into it.

    Drawing each word separately costs about a microsecond; slicing a pre-drawn stream at a
    random offset is what makes 10,000 records take a second or two.
    """

    pool: tuple[str, ...]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        """`count` consecutive words from a random place in the stream."""
        start = rng.randrange(len(self.pool) - count)
        return list(self.pool[start:start + count])


def make_vocabulary(size: int = 4000) -> Vocabulary:
    """Common words first, then made-up pseudo-words from syllables; weight 1/rank (Zipf)."""
    rng = random.Random(0)
    pseudo: list[str] = []
    seen = set(COMMON)
    while len(COMMON) + len(pseudo) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            pseudo.append(word)
    words = (*COMMON, *pseudo)
    weights = list(accumulate(1.0 / rank for rank in range(1, len(words) + 1)))
    return Vocabulary(tuple(rng.choices(words, cum_weights=weights, k=POOL_SIZE)))


def read_terms(content: Path = REPO_CONTENT) -> dict[str, list[str]]:
    """The term ids of each real taxonomy, by taxonomy id (the file name)."""
    terms: dict[str, list[str]] = {}
    for path in sorted((content / "taxonomies").glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        terms[path.stem] = [str(term["id"]) for term in data["terms"]]
    return terms


def record_id(index: int) -> str:
    """The id (file name without .md) of record number `index`."""
    return f"synthetic-record-{index:06d}"


class _Writer:
    """Writes the records of one corpus; holds the random generator and the shared tables."""

    def __init__(self, n: int, seed: int, terms: dict[str, list[str]]) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.terms = terms
        self.vocab = make_vocabulary()

    def words(self, count: int) -> str:
        return " ".join(self.vocab.draw(self.rng, count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, count: int) -> str:
        sentences: list[str] = []
        while count > 0:
            size = min(count, self.rng.randint(8, 18))
            sentences.append(self.sentence(size))
            count -= size
        return " ".join(sentences)

    def pick_terms(self, index: int, taxonomy: str) -> list[str]:
        """Term `index mod len` first (so every term is used), then random others."""
        ids = self.terms[taxonomy]
        low, high = TAXONOMY_LIMITS.get(taxonomy, (1, 2))
        count = min(self.rng.randint(low, high), len(ids))
        first = ids[index % len(ids)]
        others = self.rng.sample([term for term in ids if term != first], count - 1)
        return [first, *others]

    def dates(self) -> tuple[int, date | None, date, date | None]:
        """Year, optional published date, added date, optional reviewed date."""
        rng = self.rng
        year = rng.randint(*YEARS)
        last_day = min(date(year, 12, 31), CUTOFF - timedelta(days=1))
        published = date(year, 1, 1) + timedelta(days=rng.randint(0, (last_day - date(year, 1, 1)).days))
        span = (CUTOFF - FIRST_ADDED).days - 1
        added = FIRST_ADDED + timedelta(days=rng.randint(0, span))
        reviewed = added + timedelta(days=rng.randint(0, (CUTOFF - added).days - 1))
        return (year, published if rng.random() < 0.6 else None, added,
                reviewed if rng.random() < 0.5 else None)

    def front_matter(self, index: int) -> str:
        rng, rid = self.rng, record_id(index)
        year, published, added, reviewed = self.dates()
        lines = [f"title: {_q(f'Synthetic record {index}: {self.words(rng.randint(3, 8))}')}",
                 f"year: {year}"]
        if published:
            lines.append(f"published: {published.isoformat()}")
        lines.append(f"url: https://example.org/synthetic/{rid}")
        if rng.random() < 0.5:
            names = [f"Synthetic Author {rng.randint(1, 999)}" for _ in range(rng.randint(1, 3))]
            authors = ", ".join(_q(name) for name in names)
            lines.append(f"authors: [{authors}]")
        summary = f"Benchmark text, not real evidence. {self.sentence(rng.randint(15, 45))}"
        lines.append(f"summary: {_q(summary)}")
        lines.append("findings:")
        lines += [f"  - {_q(self._finding())}" for _ in range(rng.randint(3, 6))]
        for taxonomy in self.terms:
            lines.append(f"{taxonomy}: [{', '.join(self.pick_terms(index, taxonomy))}]")
        lines.append(f"added: {added.isoformat()}")
        if reviewed:
            lines.append(f"reviewed: {reviewed.isoformat()}")
        if rng.random() < 0.7:
            lines.append(f"coproduced: {'true' if rng.random() < 0.5 else 'false'}")
        return "---\n" + "\n".join(lines) + "\n---\n"

    def _finding(self) -> str:
        text = self.sentence(self.rng.randint(6, 20))
        if self.rng.random() < 0.3:
            head, _, tail = text.partition(" ")
            return f"{head} *{tail.rstrip('.')}*."
        return text

    def body(self, index: int) -> str:
        rng = self.rng
        target = rng.randint(300, 500)
        related = [record_id(rng.randrange(self.n)) for _ in range(rng.randint(1, 3))]
        bullets = [self.words(rng.randint(4, 10)) for _ in range(rng.randint(3, 6))]
        link = f"https://example.org/synthetic/{record_id(index)}/{self.words(1)}"
        fixed = (f"This is synthetic record {index}, generated for benchmarking; it is not real evidence.",
                 "\n".join(f"- {item}" for item in bullets),
                 "\n".join(f"- [Synthetic record {int(other[-6:])}](../{other}/)" for other in related),
                 f"The made-up source is at [example.org]({link}) and on [a second page](https://example.com/{index}).")
        used = sum(len(part.split()) for part in (*fixed, *HEADINGS)) + len(HEADINGS)  # "##" marks
        left = max(target - used, 60)
        sizes = (left * 3 // 10, left * 3 // 10, left - 2 * (left * 3 // 10))
        return "\n\n".join((
            f"## {HEADINGS[0]}", fixed[0] + " " + self.paragraph(sizes[0]),
            f"## {HEADINGS[1]}", self.paragraph(sizes[1]), fixed[1],
            f"## {HEADINGS[2]}", self.paragraph(sizes[2]),
            f"## {HEADINGS[3]}", fixed[2],
            f"## {HEADINGS[4]}", fixed[3],
        )) + "\n"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def generate(target: Path, n: int, seed: int = 1) -> None:
    """Write a content folder with `n` synthetic records into `target` (replaced if it exists)."""
    if target.exists():
        shutil.rmtree(target)
    evidence = target / "evidence"
    evidence.mkdir(parents=True)
    shutil.copy2(REPO_CONTENT / "site.yml", target / "site.yml")
    shutil.copytree(REPO_CONTENT / "taxonomies", target / "taxonomies")
    shutil.copytree(REPO_CONTENT / "pages", target / "pages")
    writer = _Writer(n, seed, read_terms())
    for index in range(n):
        text = writer.front_matter(index) + writer.body(index)
        (evidence / f"{record_id(index)}.md").write_bytes(text.encode("utf-8"))


def main() -> None:
    """The command line: python bench/corpus.py N DIR [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many records")
    parser.add_argument("target", type=Path, help="the content folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.target, args.n, args.seed)


if __name__ == "__main__":
    main()
