#!/usr/bin/env python3
"""feedparser's side of side_by_side.sh: parses every .xml/.json file under
DIR REPEAT times from bytes (no network) and prints the time per document
in the same shape as khabar's corpus_bench example."""
import os
import statistics
import sys
import time

import feedparser


def main() -> None:
    root = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    paths = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(root)
        for f in fs
        if f.endswith((".xml", ".json"))
    )
    docs = [open(p, "rb").read() for p in paths]
    per_doc = []
    entries = 0
    started = time.perf_counter()
    for doc in docs:
        t = time.perf_counter()
        for _ in range(repeat):
            entries += len(feedparser.parse(doc).entries)
        per_doc.append((time.perf_counter() - t) * 1e6 / repeat)
    total = time.perf_counter() - started
    size = sum(map(len, docs))
    print(
        f"feedparser {feedparser.__version__}: {len(docs)} documents ({size / 1024:.1f} KiB), "
        f"{repeat} passes: median {statistics.median(per_doc):.1f} µs/doc, "
        f"mean {statistics.mean(per_doc):.1f} µs/doc, "
        f"{size * repeat / total / 1048576:.1f} MiB/s, {entries // repeat} entries/pass"
    )


if __name__ == "__main__":
    main()
