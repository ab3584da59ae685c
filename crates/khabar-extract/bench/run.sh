#!/usr/bin/env bash
# Side-by-side: khabar-extract vs trafilatura / resiliparse / readability-lxml / htmldate
# on the shared development corpora. Usage: crates/khabar-extract/bench/run.sh [out-dir]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CORPUS="$REPO/../shared/corpus"
SCORE="$REPO/../shared/tools/score-extraction"
PY="${PY:-/work/venv/bin/python}"
OUT="${1:-/tmp/khabar-extract-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-extract}"
mkdir -p "$OUT"
cd "$REPO"
cargo build -q --release -p khabar-extract --example extract_bench
BENCH="$CARGO_TARGET_DIR/release/examples/extract_bench"

row() { printf '%-18s %-8s %-44s %s\n' "$@"; }
timing() { sed -E 's/.*median_ms=([0-9.]+) mean_ms=([0-9.]+).*/median \1 ms, mean \2 ms/' <<<"$1"; }
median() { sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$1"; }
# ratio LABEL KHABAR_LINE PEER_LINE: how many times faster khabar's median is.
ratio() {
  awk -v t="$1" -v k="$(median "$2")" -v p="$(median "$3")" \
    'BEGIN { if (k > 0) printf "  ratio %-28s %.2fx (khabar %.3f ms, peer %.3f ms median)\n", t, p / k, k, p }'
}

echo "== body (aeb-dev)"
K=$("$BENCH" "$CORPUS/aeb-dev/html" --urls "$CORPUS/aeb-dev/ground-truth.json" --body "$OUT/khabar-body.json")
row khabar body "$("$SCORE" body "$OUT/khabar-body.json" | tail -1)" "$(timing "$K") | $(grep -o 'peak_rss_mb=[0-9.]*' <<<"$K")"
P=$("$PY" "$HERE/peers.py" "$CORPUS/aeb-dev/html" --kind body --urls "$CORPUS/aeb-dev/ground-truth.json" --out-dir "$OUT")
for t in trafilatura resiliparse; do
  row "$t" body "$("$SCORE" body "$OUT/$t-body.json" | tail -1)" "$(timing "$(grep "^$t " <<<"$P")")"
done
for t in trafilatura resiliparse; do ratio "$t / khabar (body)" "$K" "$(grep "^$t " <<<"$P")"; done

echo "== meta (readability-pages)"
K=$("$BENCH" "$CORPUS/readability-pages" --meta "$OUT/khabar-meta.json")
row khabar meta "$("$SCORE" meta "$OUT/khabar-meta.json" | tail -1)" "$(timing "$K")"
P=$("$PY" "$HERE/peers.py" "$CORPUS/readability-pages" --kind meta --out-dir "$OUT")
for t in trafilatura readability-lxml; do
  row "$t" meta "$("$SCORE" meta "$OUT/$t-meta.json" | tail -1)" "$(timing "$(grep "^$t " <<<"$P")")"
done
for t in trafilatura readability-lxml; do ratio "$t / khabar (meta)" "$K" "$(grep "^$t " <<<"$P")"; done

echo "== dates (htmldate-dev)"
K=$("$BENCH" "$CORPUS/htmldate-dev/pages" --urls "$CORPUS/htmldate-dev/gold.json" --dates "$OUT/khabar-dates.json")
row khabar dates "$("$SCORE" dates "$OUT/khabar-dates.json" | tail -1)" "$(timing "$K")"
P=$("$PY" "$HERE/peers.py" "$CORPUS/htmldate-dev/pages" --kind dates --urls "$CORPUS/htmldate-dev/gold.json" --out-dir "$OUT")
for t in htmldate trafilatura; do
  row "$t" dates "$("$SCORE" dates "$OUT/$t-dates.json" | tail -1)" "$(timing "$(grep "^$t " <<<"$P")")"
done
for t in htmldate trafilatura; do ratio "$t / khabar (dates)" "$K" "$(grep "^$t " <<<"$P")"; done
