#!/usr/bin/env python3
"""Fit/validation figures for khabar-extract on every dev corpus.

The split is fixed: a page is in the validation part when the FNV-1a 64-bit
hash of its key, mod 100, is below 30 (about 30 %); everything else is the
fit part. The key is the page's id in aeb-dev and wcxb-dev, its folder name
in readability-pages and its gold `file` name in htmldate-dev. The same rule
is written in crates/khabar-extract/tests/corpus_quality.rs (`is_validation`):
tune on fit, and revert a change that raises fit but not validation.

Usage: bench/fitval.py [--bench PATH-TO-extract_bench] [--out DIR] [--worst N]
Runs the extract_bench example over each corpus once, then scores each part
with the shared scorers (score-wcxb, score-extraction).
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.abspath(os.path.join(REPO, "..", "shared", "corpus"))
TOOLS = os.path.abspath(os.path.join(REPO, "..", "shared", "tools"))


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def is_validation(key):
    return fnv1a64(key) % 100 < 30


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def part_of(keys):
    return {"fit": [k for k in keys if not is_validation(k)], "val": [k for k in keys if is_validation(k)]}


def score_line(out):
    return out.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(REPO, "target", "release", "examples", "extract_bench"))
    ap.add_argument("--out", default="/tmp/khabar-fitval")
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--only", default="wcxb,aeb,meta,dates")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="fitval-")
    only = a.only.split(",")
    se = os.path.join(TOOLS, "score-extraction")

    if "wcxb" in only:
        jsonl = os.path.join(a.out, "wcxb.jsonl")
        t = run([a.bench, os.path.join(CORPUS, "wcxb-dev", "html"), "--jsonl", jsonl])
        print("wcxb-dev run:", t.strip())
        ids = sorted(f[:-5] for f in os.listdir(os.path.join(CORPUS, "wcxb-dev", "ground-truth")))
        for part, keys in part_of(ids).items():
            gt = os.path.join(tmp, "wcxb-" + part)
            os.makedirs(os.path.join(gt, "ground-truth"))
            for k in keys:
                os.symlink(os.path.join(CORPUS, "wcxb-dev", "ground-truth", k + ".json"),
                           os.path.join(gt, "ground-truth", k + ".json"))
            cmd = [os.path.join(TOOLS, "score-wcxb"), jsonl, "--gt", gt]
            if a.worst and part == "fit":
                cmd += ["--worst", str(a.worst)]
            print(f"== wcxb-dev {part}")
            print(run(cmd).rstrip())

    if "aeb" in only:
        gold = json.load(open(os.path.join(CORPUS, "aeb-dev", "ground-truth.json"), encoding="utf-8"))
        pred = os.path.join(a.out, "aeb-body.json")
        t = run([a.bench, os.path.join(CORPUS, "aeb-dev", "html"), "--urls",
                 os.path.join(CORPUS, "aeb-dev", "ground-truth.json"), "--body", pred])
        for part, keys in part_of(sorted(gold)).items():
            g = os.path.join(tmp, f"aeb-{part}.json")
            json.dump({k: gold[k] for k in keys}, open(g, "w", encoding="utf-8"))
            print(f"aeb-dev {part:4} {score_line(run([se, 'body', pred, '--gold', g]))}")

    if "meta" in only:
        root = os.path.join(CORPUS, "readability-pages")
        pred = os.path.join(a.out, "readability-meta.json")
        run([a.bench, root, "--meta", pred])
        pages = sorted(p for p in os.listdir(root) if os.path.isdir(os.path.join(root, p)))
        for part, keys in part_of(pages).items():
            d = os.path.join(tmp, "readability-" + part)
            os.makedirs(d)
            for k in keys:
                os.symlink(os.path.join(root, k), os.path.join(d, k))
            print(f"readability {part:4} {score_line(run([se, 'meta', pred, '--gold', d]))}")

    if "dates" in only:
        gpath = os.path.join(CORPUS, "htmldate-dev", "gold.json")
        gold = json.load(open(gpath, encoding="utf-8"))
        pred = os.path.join(a.out, "htmldate-dates.json")
        run([a.bench, os.path.join(CORPUS, "htmldate-dev", "pages"), "--urls", gpath, "--dates", pred])
        files = sorted(v["file"] for v in gold.values())
        for part, keys in part_of(files).items():
            keys = set(keys)
            g = os.path.join(tmp, f"htmldate-{part}.json")
            json.dump({u: v for u, v in gold.items() if v["file"] in keys}, open(g, "w", encoding="utf-8"))
            print(f"htmldate {part:4} {score_line(run([se, 'dates', pred, '--gold', g]))}")


if __name__ == "__main__":
    sys.exit(main())
