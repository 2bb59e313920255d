#!/usr/bin/env bash
# make soak: mixed traffic against paf-server for SOAK_SECONDS (default 600)
# — HTTP/1.1, h2c and HTTPS h2 from paf-stress on reused connections; 1 MiB
# GET /large and POST /echo from curl on a new connection each — while the
# server's resident memory is sampled every SAMPLE_SECONDS (default 10). It
# passes when no request failed and the memory after the first minute stays
# flat: its highest sample at most 10% (and 4 MiB) above its first sample
# after a minute. Prints the curve (seconds, RSS in KiB) and a verdict.
#
#   tools/soak/soak.sh BUILD_DIR      (make soak)
set -euo pipefail
build=${1:-build/host}
seconds=${SOAK_SECONDS:-600}
sample=${SAMPLE_SECONDS:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/tools/bench/common.sh"
paf_server=$build/tools/paf-server paf_stress=$build/tools/paf-stress
for binary in "$paf_server" "$paf_stress"; do
  [[ -x $binary ]] || { echo "soak: $binary not built (make host)" >&2; exit 1; }
done
work=$(mktemp -d)
pids=() stress_pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$root/tools/make-test-cert" "$work/cert" >/dev/null
http=$(free_port) https=$(free_port $((http + 1)))
"$paf_server" --http "$http" --https "$https" --cert "$work/cert/localhost.pem" \
  --key "$work/cert/localhost.key" --access-log off >"$work/server.log" 2>&1 &
server=$!
pids+=("$server")
wait_listening "$http" paf-server
wait_listening "$https" paf-server
head -c 1048576 /dev/urandom >"$work/body.bin"
body_sha=$(sha256sum <"$work/body.bin" | cut -d' ' -f1)
large_sha=$(curl -sS "http://127.0.0.1:$http/large" | sha256sum | cut -d' ' -f1)

# Reused connections: paf-stress, three protocols, small answers.
stress() {  # NAME ARGS...
  local name=$1
  shift
  "$paf_stress" -d "$seconds" --json "$@" >"$work/$name.json" 2>"$work/$name.err" &
  pids+=($!) stress_pids+=($!)
}
stress h1 -c 4 "http://127.0.0.1:$http/"
stress h2c -c 2 -m 5 --http2-prior-knowledge "http://127.0.0.1:$http/" "http://127.0.0.1:$http/random?len=1000&seed=1"
stress h2 -c 2 -m 5 --cacert "$work/cert/localhost.pem" "https://localhost:$https/"
# New connections with 1 MiB bodies: curl, one request each, checked.
big_transfers() {
  local deadline=$((SECONDS + seconds)) n=0 bad=0 sum
  while ((SECONDS < deadline)); do
    n=$((n + 1))
    case $((n % 3)) in
      0) sum=$(curl -sS --max-time 30 "http://127.0.0.1:$http/large" | sha256sum | cut -d' ' -f1)
         [[ $sum == "$large_sha" ]] || bad=$((bad + 1)) ;;
      1) sum=$(curl -sS --max-time 30 --http2-prior-knowledge --data-binary "@$work/body.bin" \
                 "http://127.0.0.1:$http/echo" | sha256sum | cut -d' ' -f1)
         [[ $sum == "$body_sha" ]] || bad=$((bad + 1)) ;;
      2) sum=$(curl -sS --max-time 30 --http2 --cacert "$work/cert/localhost.pem" \
                 --data-binary "@$work/body.bin" "https://localhost:$https/echo" | sha256sum | cut -d' ' -f1)
         [[ $sum == "$body_sha" ]] || bad=$((bad + 1)) ;;
    esac
  done
  echo "$n $bad" >"$work/big.result"
}
big_transfers &
pids+=($!)
big=$!

echo "soak: ${seconds} s of mixed traffic against paf-server (pid $server); RSS every ${sample} s"
echo "seconds rss_kib"
start=$SECONDS
: >"$work/curve"
while ((SECONDS - start < seconds)); do
  sleep "$sample"
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server/status")
  echo "$((SECONDS - start)) $rss" | tee -a "$work/curve"
done
wait "$big"
for pid in "${stress_pids[@]}"; do wait "$pid" || true; done  # exit 1 with errors: read below

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
failed = []
total = 0
for name in ("h1", "h2c", "h2"):
    try:
        result = json.load(open("%s/%s.json" % (work, name)))
    except ValueError:
        failed.append("%s: no result (%s)" % (name, open("%s/%s.err" % (work, name)).read().strip()[:200]))
        continue
    total += result["requests"]
    if result["errors"]:
        failed.append("%s: %d errors" % (name, result["errors"]))
    print("%s: %d requests, %.0f req/s, %d errors" % (name, result["requests"],
                                                       result["requests_per_second"], result["errors"]))
big, bad = map(int, open("%s/big.result" % work).read().split())
print("1 MiB transfers on new connections: %d, %d wrong" % (big, bad))
if bad:
    failed.append("%d of the 1 MiB transfers were wrong" % bad)
curve = [tuple(map(int, line.split())) for line in open("%s/curve" % work)]
after = [rss for t, rss in curve if t >= 60] or [rss for _, rss in curve]
base, high = after[0], max(after)
flat = high <= max(base * 1.10, base + 4096)
print("memory after the first minute: %d KiB first, %d KiB highest (%+.1f%%)" % (
    base, high, 100.0 * (high - base) / base))
if not flat:
    failed.append("the server's memory grew after the first minute")
print("soak: " + ("passed" if not failed else "FAILED: " + "; ".join(failed)))
sys.exit(1 if failed else 0)
PY
