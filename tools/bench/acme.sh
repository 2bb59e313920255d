#!/usr/bin/env bash
# The time to a certificate: the README's ACME example (acme_hello, paf-le-chien's
# flow on paf::acme: HTTP-01 on its port 80, then HTTPS) beside lego (Debian's
# ACME client, HTTP-01 on its own listener), against one pebble on loopback
# (tests/support/pebble.sh), one after the other, ROUNDS times each with a new
# account and a new name: the wall time from start to a certificate (paf:
# until it serves HTTPS with it; lego: until it exits, the certificate saved).
# The median of each, and paf's time as a ratio of lego's (the aim: 1.0x or less).
#
#   tools/bench/acme.sh BUILD_DIR   (ROUNDS=5)
set -euo pipefail
build=${1:-build/host}
rounds=${ROUNDS:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
acme_hello=$build/tests/acme/acme_hello
[[ -x $acme_hello ]] || { echo "bench: $acme_hello not built (make host)" >&2; exit 1; }
command -v lego >/dev/null || { echo "bench: lego missing (make bench installs it)" >&2; exit 1; }
work=$(mktemp -d)
die() {
  echo "bench: $*" >&2
  exit 1
}
source "$root/tests/support/pebble.sh"
paf_pid=
cleanup() {
  [[ -n $paf_pid ]] && kill -KILL "$paf_pid" 2>/dev/null
  pebble_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
pebble_up
directory=https://127.0.0.1:$acme_port/dir
https_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

now_ms() { date +%s%3N; }
paf_once() {  # NAME: ms to a certificate served
  local start log=$work/paf-$1.log
  start=$(now_ms)
  "$acme_hello" "$directory" "$work/ca.pem" "$http_port" "$https_port" "$1" >"$log" 2>&1 &
  paf_pid=$!
  for _ in $(seq 600); do
    grep -q "^acme-hello: serving https://" "$log" && break
    kill -0 "$paf_pid" 2>/dev/null || die "acme_hello failed: $(cat "$log")"
    sleep 0.01
  done
  grep -q "^acme-hello: serving https://" "$log" || die "acme_hello: no certificate in 6 s"
  echo $(($(now_ms) - start))
  kill -KILL "$paf_pid"
  wait "$paf_pid" 2>/dev/null || true
  paf_pid=
}
lego_once() {  # NAME: ms to a certificate saved
  local start
  start=$(now_ms)
  LEGO_CA_CERTIFICATES=$work/ca.pem lego --server "$directory" --email admin@example.com \
    --domains "$1" --accept-tos --http --http.port "127.0.0.1:$http_port" \
    --path "$work/lego-$1" run >"$work/lego-$1.log" 2>&1 || die "lego failed: $(tail -5 "$work/lego-$1.log")"
  [[ -s $work/lego-$1/certificates/$1.crt ]] || die "lego saved no certificate"
  echo $(($(now_ms) - start))
}

paf_times=() lego_times=()
for ((i = 1; i <= rounds; i++)); do
  paf_times+=("$(paf_once "paf$i.example.com")")
  lego_times+=("$(lego_once "lego$i.example.com")")
done
python3 - "${paf_times[*]}" "${lego_times[*]}" <<'PY'
import statistics, sys
paf = [int(x) for x in sys.argv[1].split()]
lego = [int(x) for x in sys.argv[2].split()]
print("time to a certificate from pebble (ms, %d rounds each, one name, HTTP-01)" % len(paf))
print("%-34s %8s %8s %8s" % ("client", "median", "min", "max"))
for name, times in (("paf::acme (README example)", paf), ("lego", lego)):
    print("%-34s %8d %8d %8d" % (name, statistics.median(times), min(times), max(times)))
print("paf takes %.2fx lego's time" % (statistics.median(paf) / statistics.median(lego)))
PY
