#!/usr/bin/env bash
# Load figures of the reader's site (docs/bench/web-load.md, issue 6).
#
#   scripts/bench-web-load.sh <khabar binary> <sqlite file | postgres:// URL> <port> [stories]
#
# Starts `khabar serve --web-only` over the store, waits until /healthz says
# searches are answered by the index (on either backend), then runs wrk (from Debian's package)
# from this process against the home page, one story page, random story pages
# (the render path: most miss the page cache) and four searches, and prints
# one Markdown table row per run plus the server's memory. `stories` (default:
# the store's count) bounds the random story ids.
set -euo pipefail
bin=$1 db=$2 port=$3
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
case "$db" in
    postgres://*|postgresql://*) url=$db ready='"search":"index"' ;;
    *) url="sqlite://$db" ready='"search":"index"' ;;
esac
printf '[site]\nbase_url = "%s"\n\n[storage]\nurl = "%s"\n' "$base" "$url" > "$dir/site.toml"
started=$(date +%s.%N)
"$bin" --config "$dir/site.toml" serve --web-only --listen "127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 3600); do
    if curl -sf "$base/healthz" 2>/dev/null | grep -q "$ready"; then break; fi
    sleep 0.5
done
ready=$(date +%s.%N)
stories=${4:-$(curl -s "$base/healthz" | sed -E 's/.*"published":([0-9]+).*/\1/')}
echo "stories: $stories; index ready $(echo "$ready - $started" | bc) s after start"
echo "| path | conns | Accept-Encoding | req/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
cat > "$dir/random.lua" <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", "/story/" .. math.random(1, $stories)) end
LUA
run() { # path conns [script] [accept-encoding]
    local out enc=${4:-}
    local hdr=(-H "Accept-Encoding: ${enc:-identity}")
    if [ -n "${3:-}" ]; then
        out=$(wrk -t2 -c"$2" -d10s --latency "${hdr[@]}" -s "$3" "$base" 2>&1)
    else
        curl -s -o /dev/null "$base$1"
        out=$(wrk -t"$(( $2 > 1 ? 2 : 1 ))" -c"$2" -d10s --latency "${hdr[@]}" "$base$1" 2>&1)
    fi
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    if echo "$out" | grep -q "Non-2xx"; then rps="$rps (non-2xx!)"; fi
    echo "| \`$1\` | $2 | ${enc:-none} | $rps | $p50 | $p99 |"
}
run / 16
run / 16 "" "gzip, br"
run /story/481 16
run /story/481 16 "" "gzip, br"
run "/story/random" 16 "$dir/random.lua"
for q in "oil+prices" "oil+prices&sort=date" "iran" "opec+output+quota"; do
    run "/search?q=$q" 1
done
run "/search?q=oil+prices" 16
grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' '
if [ -d "${db%.*}.search" ]; then du -sh "${db%.*}.search" | cut -f1 | sed 's/^/index size: /'; fi
