#!/usr/bin/env python3
"""Scores the side-by-side run of rs-peers (side_by_side.sh) per fit and
validation part, with the split rule of fitval.py.

Usage: score_peers.py WCXB_OUT_DIR AEB_OUT_DIR TOOL...
Each *_OUT_DIR holds <tool>.jsonl (score-wcxb) and <tool>-body.json
(score-extraction body) as rs-peers writes them.
"""
import json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitval import CORPUS, TOOLS, part_of  # noqa: E402


def main():
    wcxb_out, aeb_out, tools = sys.argv[1], sys.argv[2], sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix="peers-")
    ids = sorted(f[:-5] for f in os.listdir(os.path.join(CORPUS, "wcxb-dev", "ground-truth")))
    gts = {}
    for part, keys in part_of(ids).items():
        gt = os.path.join(tmp, "wcxb-" + part)
        os.makedirs(os.path.join(gt, "ground-truth"))
        for k in keys:
            os.symlink(os.path.join(CORPUS, "wcxb-dev", "ground-truth", k + ".json"),
                       os.path.join(gt, "ground-truth", k + ".json"))
        gts[part] = gt
    gold = json.load(open(os.path.join(CORPUS, "aeb-dev", "ground-truth.json"), encoding="utf-8"))
    aeb = {}
    for part, keys in part_of(sorted(gold)).items():
        aeb[part] = os.path.join(tmp, f"aeb-{part}.json")
        json.dump({k: gold[k] for k in keys}, open(aeb[part], "w", encoding="utf-8"))
    for tool in tools:
        for part in ("fit", "val"):
            out = subprocess.run([os.path.join(TOOLS, "score-wcxb"), os.path.join(wcxb_out, tool + ".jsonl"),
                                  "--gt", gts[part]], check=True, capture_output=True, text=True).stdout.splitlines()
            rows = {l.split()[0]: l for l in out[1:]}
            print(f"{tool:15} {part:4} wcxb {rows['all']}")
            print(f"{tool:15} {part:4} wcxb {rows['article']}")
            out = subprocess.run([os.path.join(TOOLS, "score-extraction"), "body",
                                  os.path.join(aeb_out, tool + "-body.json"), "--gold", aeb[part]],
                                 check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            print(f"{tool:15} {part:4} aeb  {out}")


if __name__ == "__main__":
    sys.exit(main())
