#!/usr/bin/env bash
# khabar-extract beside the Rust peers of issue 14 (dom_smoothie,
# rs-trafilatura): one process, the same pages, each page timed per tool
# from its raw bytes. Prints ms/page per tool, then F1 per fit/validation
# part (wcxb-dev all types and articles, aeb-dev body).
# Usage: crates/khabar-extract/bench/side_by_side.sh [out-dir]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CORPUS="$REPO/../shared/corpus"
OUT="${1:-/tmp/khabar-side-by-side}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-extract}"
(cd "$HERE/rs-peers" && cargo build -q --release)
PEERS="$CARGO_TARGET_DIR/release/khabar-extract-rs-peers"
echo "== wcxb-dev (1,497 pages, seven types)"
"$PEERS" "$CORPUS/wcxb-dev/html" --out-dir "$OUT/wcxb"
echo "== aeb-dev (88 articles)"
"$PEERS" "$CORPUS/aeb-dev/html" --urls "$CORPUS/aeb-dev/ground-truth.json" --out-dir "$OUT/aeb"
echo "== F1"
python3 "$HERE/score_peers.py" "$OUT/wcxb" "$OUT/aeb" khabar dom_smoothie rs-trafilatura
