#!/usr/bin/env bash
# khabar's feed stage and feedparser over the same files, in one run.
# Usage: crates/khabar-feed/bench/side_by_side.sh [DIR] [REPEAT]
# DIR defaults to the feedparser-dev corpus; feedparser comes from the test
# venv (scripts/install-test-tools).
set -euo pipefail
cd "$(dirname "$0")/../../.."
DIR=${1:-../shared/corpus/feedparser-dev}
REPEAT=${2:-20}
scripts/install-test-tools >/dev/null
cargo build --release -q -p khabar-feed --example corpus_bench
/usr/bin/time -f "  peak RSS %M KiB" target/release/examples/corpus_bench "$DIR" "$REPEAT"
/usr/bin/time -f "  peak RSS %M KiB" target/test-venv/bin/python crates/khabar-feed/bench/feedparser_bench.py "$DIR" "$REPEAT"
