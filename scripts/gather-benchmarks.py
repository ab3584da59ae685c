#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the per-stage pages in docs/bench/.

Each page's headings move down one level under the gathered file's title;
lines inside fenced code blocks (shell comments start with '#') are left
as they are.

    python3 scripts/gather-benchmarks.py
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("pipeline", "pipeline"),
    ("extract", "extract"),
    ("topic", "topic"),
    ("dedup", "dedup"),
    ("feed-fetch", "feed-fetch"),
    ("store", "store"),
    ("web", "web"),
    ("web-load", "web-load"),
    ("workers (scale-out)", "workers"),
]

HEADER = """# Benchmarks

Figures for every stage, each measured side by side with the peer tools where peers exist, with the
command that produced it. The per-stage pages live in `docs/bench/`; this file gathers them
(`python3 scripts/gather-benchmarks.py`). Most figures come from the shared 2-core development
machine while other builds ran (each page says when it was quiet), so absolute times are
pessimistic; ratios measured in one run are the fair comparison.

| stage | page |
| --- | --- |
"""


def shifted(text: str) -> str:
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip() + "\n"


def main() -> None:
    parts = [HEADER]
    parts += [f"| {name} | [docs/bench/{page}.md](docs/bench/{page}.md) |\n" for name, page in PAGES]
    for _, page in PAGES:
        parts.append("\n" + shifted((ROOT / "docs" / "bench" / f"{page}.md").read_text()))
    (ROOT / "BENCHMARKS.md").write_text("".join(parts))


if __name__ == "__main__":
    main()
