"""Report: turn measured samples into medians, ratios, per-record costs, JSON and Markdown."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from measure import Sample, Summary

LABELS = {
    "check": "coprod-site check",
    "build-no-search": "coprod-site build --no-search",
    "search": "search step alone (Pagefind on a --no-search build)",
    "build": "coprod-site build (full, with search)",
    "floor": "plain floor (bench/floor.py)",
    "hugo": "Hugo",
    "pagefind-hugo": "Pagefind on Hugo's output",
    "pagefind-site": "Pagefind in one pass on coprod-site's --no-search output",
    "rebuild-body": "rebuild with --cache after one record's body changed",
    "rebuild-title": "rebuild with --cache after one record's title changed",
    "serve-body": "coprod-site serve: one record's body saved → page shows it",
    "serve-title": "coprod-site serve: one record's title saved → page shows it",
    "serve-search": "coprod-site serve: body saved → search index current",
    "hugo-server-body": "hugo server: one record's body saved → page shows it",
    "hugo-server-title": "hugo server: one record's title saved → page shows it",
}
SERVERS = ("serve", "hugo-server")
"""The development servers: each run of one gives a row per edit (`serve-body`, ...)."""
# (name, numerator tools, denominator tools, target (issue 16's) or None)
RATIOS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], float | None], ...] = (
    ("build-no-search / floor", ("build-no-search",), ("floor",), None),
    ("build-no-search / hugo", ("build-no-search",), ("hugo",), 1.2),
    ("build / (hugo + pagefind-hugo)", ("build",), ("hugo", "pagefind-hugo"), 1.0),
    ("check / build-no-search", ("check",), ("build-no-search",), 0.25),
    ("search / pagefind-site", ("search",), ("pagefind-site",), 0.7),
    ("serve-body / hugo-server-body", ("serve-body",), ("hugo-server-body",), 1.5),
    ("serve-title / hugo-server-title", ("serve-title",), ("hugo-server-title",), 1.5),
    ("search / build", ("search",), ("build",), None),
)


@dataclass(slots=True)
class Cell:
    """Everything measured for one corpus size at one location."""

    n: int
    where: str
    filesystem: str
    setup: dict[str, float] = field(default_factory=dict)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    deletes: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    """Tools that failed (for instance killed for want of memory), with why."""

    def summary(self, tool: str) -> Summary:
        """The medians of one tool."""
        return Summary.of(self.samples[tool])

    def ratio(self, top: Sequence[str], bottom: Sequence[str], measure: str) -> float | None:
        """Sum of the medians of `top` over the sum of the medians of `bottom` (wall or cpu);
        None when one of the tools was not measured."""
        if not set(top) | set(bottom) <= self.samples.keys():
            return None
        def total(tools: Sequence[str]) -> float:
            return float(sum(getattr(self.summary(tool), measure) for tool in tools))
        below = total(bottom)
        return total(top) / below if below else None


def to_json(cells: Sequence[Cell], meta: dict[str, Any]) -> dict[str, Any]:
    """The whole run as plain data: metadata, every sample, medians, ratios and per-record costs."""
    out: list[dict[str, Any]] = []
    for cell in cells:
        medians = {tool: asdict(cell.summary(tool)) for tool in cell.samples}
        for median in medians.values():
            median["wall_ms_per_record"] = 1000 * median["wall"] / cell.n
            median["cpu_ms_per_record"] = 1000 * median["cpu"] / cell.n
        out.append({
            "n": cell.n, "where": cell.where, "filesystem": cell.filesystem, "setup": cell.setup,
            "samples": {tool: [asdict(s) for s in samples] for tool, samples in cell.samples.items()},
            "delete_seconds": cell.deletes, "medians": medians, "failures": cell.failures,
            "ratios": {name: {"wall": cell.ratio(top, bottom, "wall"), "cpu": cell.ratio(top, bottom, "cpu"),
                              "target": target}
                       for name, top, bottom, target in RATIOS},
        })
    return {"meta": meta, "cells": out}


def from_json(data: dict[str, Any]) -> tuple[dict[str, Any], list[Cell]]:
    """The metadata and cells of a run written by `to_json` (to resume it)."""
    cells = []
    for item in data["cells"]:
        samples = {tool: [Sample(**sample) for sample in runs] for tool, runs in item["samples"].items()}
        cells.append(Cell(item["n"], item["where"], item["filesystem"], item["setup"], samples,
                          item["delete_seconds"], item.get("failures", {})))
    return data["meta"], cells


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _cell_table(cell: Cell) -> list[str]:
    rows = []
    for tool in cell.samples:
        s = cell.summary(tool)
        deletes = cell.deletes.get(tool)
        rows.append([LABELS.get(tool, tool), f"{s.wall:.2f}", f"{s.cpu:.2f}", f"{s.cpu / s.wall:.2f}",
                     f"{s.rss_mb:,.0f}", f"{s.tree_rss_mb:,.0f}", f"{1000 * s.wall / cell.n:.3f}",
                     f"{1000 * s.cpu / cell.n:.3f}",
                     f"{s.out_mb:,.1f}" if s.out_mb else "",
                     f"{statistics.median(deletes):.2f}" if deletes else "",
                     f"{statistics.median(sample.load for sample in cell.samples[tool]):.1f}", str(s.runs)])
    header = ["tool", "wall s", "CPU s", "CPU/wall", "peak RSS MB", "all processes MB", "wall ms/rec",
              "CPU ms/rec", "output MB", "delete s", "load", "runs"]
    title = f"### {cell.n:,} records on {cell.where} ({cell.filesystem})"
    setup = ", ".join(f"{key} {value:,.2f}" for key, value in cell.setup.items())
    failed = [f"Failed: {LABELS.get(tool, tool)}: {why}." for tool, why in cell.failures.items()]
    return [title, "", *_table(header, rows), "", f"Setup (not measured): {setup}.", "", *failed,
            *([""] if failed else [])]


def _ratio_table(cells: Sequence[Cell]) -> list[str]:
    header = ["N", "where", *(f"{name} (target)" if target else name for name, _, _, target in RATIOS)]
    rows = []
    for cell in cells:
        values = []
        for _, top, bottom, target in RATIOS:
            wall, cpu = cell.ratio(top, bottom, "wall"), cell.ratio(top, bottom, "cpu")
            if wall is None or cpu is None:
                values.append("")
                continue
            mark = "" if target is None else (" ✓" if wall <= target else " ✗")
            values.append(f"{wall:.2f}{mark} (CPU {cpu:.2f})" + (f" ≤{target}" if target else ""))
        rows.append([f"{cell.n:,}", cell.where, *values])
    return ["### Ratios of medians (wall time; CPU time in brackets)", "", *_table(header, rows), ""]


def _per_record(cell: Cell | None, tool: str) -> tuple[float, float] | None:
    """Wall and CPU milliseconds per record of `tool` in `cell`, if it was measured."""
    if cell is None or tool not in cell.samples:
        return None
    summary = cell.summary(tool)
    return 1000 * summary.wall / cell.n, 1000 * summary.cpu / cell.n


def _spread(values: Sequence[float]) -> str:
    return f"{100 * (max(values) / min(values) - 1):.0f}%" if len(values) > 1 else ""


def _scaling_table(cells: Sequence[Cell]) -> list[str]:
    sizes = sorted({cell.n for cell in cells})
    by_key = {(cell.n, cell.where): cell for cell in cells}
    rows = []
    for where in dict.fromkeys(cell.where for cell in cells):
        for tool in (tool for tool in LABELS if not tool.startswith(SERVERS)):  # latencies: not per record
            costs = [_per_record(by_key.get((n, where)), tool) for n in sizes]
            known = [cost for cost in costs if cost is not None]
            if known:
                texts = ("" if cost is None else f"{cost[0]:.3f} ({cost[1]:.3f})" for cost in costs)
                spread = _spread([wall for wall, _ in known]), _spread([cpu for _, cpu in known])
                rows.append([tool, where, *texts, f"{spread[0]} ({spread[1]})" if spread[0] else ""])
    header = ["tool", "where", *(f"{n:,}" for n in sizes), "spread (max/min − 1)"]
    title = "### Milliseconds per record by N: wall (CPU); target: spread < 20%"
    return [title, "", *_table(header, rows), ""]


def to_markdown(cells: Sequence[Cell], meta: dict[str, Any]) -> str:
    """The results as Markdown: one table per size and place, then ratios and per-record costs."""
    lines = ["## coprod-site benchmark", ""]
    lines += [f"- {key}: {value}" for key, value in meta.items()]
    lines.append("")
    for cell in cells:
        lines += _cell_table(cell)
    lines += _ratio_table(cells) + _scaling_table(cells)
    return "\n".join(lines)
