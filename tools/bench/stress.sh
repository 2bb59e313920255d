#!/usr/bin/env bash
# paf-stress as a load generator, beside h2load (HTTP/2 h2c, 32 connections,
# -m 10) and wrk (HTTP/1.1, 32 connections), on the same paf-server (pinned
# to CPU 0, no access log; each generator pinned to CPU 1, one thread) and
# GET / (a 12-byte body). For each: req/s over DURATION seconds, the CPU the
# generator itself used (its user and system time, os.wait4), and req/s per
# core of its own CPU: req/s divided by the share of its core it used. Each
# is measured ROUNDS times, the generators taking turns; the median round
# is shown, then paf-stress's per-core ratio to each peer (the aim: 0.8x).
#
#   tools/bench/stress.sh BUILD_DIR   (DURATION=5 seconds per run, ROUNDS=3)
set -euo pipefail
build=${1:-build/host}
duration=${DURATION:-5}
rounds=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
paf_server=$build/tools/paf-server
paf_stress=$build/tools/paf-stress
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for tool in h2load wrk taskset python3 ss; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (make bench installs it)" >&2; exit 1; }
done
for binary in "$paf_server" "$paf_stress"; do
  [[ -x $binary ]] || { echo "bench: $binary not built" >&2; exit 1; }
done
source "$here/common.sh"

port=$(free_port)
taskset -c 0 "$paf_server" --host 127.0.0.1 --http "$port" --access-log off >/dev/null 2>&1 &
pids+=($!)
wait_listening "$port" paf-server
url=http://127.0.0.1:$port/

declare -A results
run_round() {
  results[h2load]+="$(generator_rate h2load h2load -t1 -c32 -m10 -D "$duration" "$url")"$'\n'
  results[paf-stress-h2]+="$(generator_rate paf-stress "$paf_stress" -c 32 -m 10 --http2-prior-knowledge -d "$duration" --json "$url")"$'\n'
  results[wrk]+="$(generator_rate wrk wrk -t1 -c32 -d "${duration}s" "$url")"$'\n'
  results[paf-stress-h1]+="$(generator_rate paf-stress "$paf_stress" -c 32 -d "$duration" --json "$url")"$'\n'
}
for _ in $(seq "$rounds"); do run_round; done

echo "== load generators on one paf-server (GET /, 32 connections, ${duration}s, median of $rounds)"
printf '%-28s %12s %10s %16s\n' generator req/s "own CPU" "req/s per core"
declare -A per_core
for name in h2load paf-stress-h2 wrk paf-stress-h1; do
  read -r rate share core <<<"$(median_round "${results[$name]}" "$rounds")"
  per_core[$name]=$core
  label=$(generator_label "$name")
  printf '%-28s %12s %9.0f%% %16s\n' "$label" "$rate" "$(awk -v s="$share" 'BEGIN { print s * 100 }')" "$core"
done
awk -v a="${per_core[paf-stress-h2]}" -v b="${per_core[h2load]}" -v c="${per_core[paf-stress-h1]}" \
  -v d="${per_core[wrk]}" 'BEGIN {
  printf "paf-stress per core: %.2fx h2load (HTTP/2), %.2fx wrk (HTTP/1.1)\n", a / b, c / d }'
