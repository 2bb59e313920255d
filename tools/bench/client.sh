#!/usr/bin/env bash
# The client's own speed on loopback: paf::Client (through paf-stress, one
# client) against h2load and curl, each fetching the same small object COUNT times
# over one HTTP/2 connection with 10 requests in flight, from one h2o worker
# (pinned to CPU 0; the clients to CPU 1): over TLS (ALPN h2) and over h2c
# (prior knowledge). h2o keeps no access log.
#
#   paf      paf-stress -c 1 -n COUNT -m 10 URL
#   h2load   h2load -n COUNT -c 1 -m 10 URL
#   curl     curl --parallel --parallel-max 10 with COUNT URLs (one config file),
#            over TLS only: Debian 12's curl 7.88 fails its parallel transfers
#            after the first by prior knowledge ("Error in the HTTP2 framing
#            layer" against h2o)
#
# req/s is COUNT over the client's wall time; req/s per core is COUNT over the
# CPU time (user + system) the client used, which is what a client costs: a
# client faster than the server waits for it, and its req/s then measures the
# server. Each measurement is made ROUNDS times, the clients taking turns; the
# round with the median req/s per core is shown, then paf's ratios to each peer.
#
#   tools/bench/client.sh BUILD_DIR   (COUNT=20000, ROUNDS=3)
set -euo pipefail
build=${1:-build/host}
count=${COUNT:-20000}
rounds=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
paf_stress=$build/tools/paf-stress
work=$(mktemp -d)
h2o_pid=
cleanup() {
  [[ -n $h2o_pid ]] && { kill "$h2o_pid" 2>/dev/null || true; wait "$h2o_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

for tool in h2load h2o curl taskset openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (make bench installs it)" >&2; exit 1; }
done
[[ -x $paf_stress ]] || { echo "bench: $paf_stress not built" >&2; exit 1; }
source "$here/common.sh"

"$here/../make-test-cert" "$work/cert" >/dev/null
printf 'Hello World!' >"$work/index.html"
plain_port=$(free_port)
tls_port=$(free_port $((plain_port + 1)))
write_h2o_conf "$work/h2o.conf" "$work" "$plain_port" "$tls_port" "$work/cert/localhost.pem" \
  "$work/cert/localhost.key" "/=$work/index.html"
taskset -c 0 h2o -c "$work/h2o.conf" >/dev/null 2>&1 &
h2o_pid=$!
wait_listening "$plain_port" h2o
wait_listening "$tls_port" h2o

# measure CLIENT URL -> "wall_s cpu_s" of the client, or fails when it did not
# fetch every object.
measure() {
  local client=$1 url=$2 flags=() out
  [[ $url == http:* ]] && flags=(--http2-prior-knowledge) || flags=(-k --http2)
  TIMEFORMAT='%R %U %S'
  case $client in
    paf)
      { time taskset -c 1 "$paf_stress" -c 1 -n "$count" -m 10 "${flags[@]}" "$url" \
          >"$work/out" 2>&1; } 2>"$work/time"
      # every request answered 200, over one HTTP/2 connection
      grep -q "Requests: *$count, $count answered" "$work/out" &&
        grep -q "\[200\] $count" "$work/out" && grep -Eq "HTTP/2.*: 1$" "$work/out" ;;
    h2load)
      { time taskset -c 1 h2load -n "$count" -c 1 -m 10 "$url" >"$work/out" 2>&1; } 2>"$work/time"
      grep -q "requests: $count total, $count started, $count done, $count succeeded" "$work/out" ;;
    curl)
      [[ $url == http:* ]] && flags=(--http2-prior-knowledge) || flags=(--http2)
      { time taskset -c 1 curl -sSk --no-progress-meter "${flags[@]}" --parallel --parallel-max 10 \
          -K "$work/urls" -w '%{http_code} %{num_connects}\n' >"$work/out" 2>"$work/err"; } 2>"$work/time"
      # every answer 200, and one connection made in all
      [[ $(grep -c '^200 ' "$work/out") == "$count" && $(awk '{ n += $2 } END { print n }' "$work/out") == 1 ]] ;;
  esac || { echo "bench: $client did not fetch $url $count times:" >&2; tail -3 "$work/out" >&2; return 1; }
  awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$work/time"
}

clients=(paf h2load curl)
clients_over() { [[ $1 == tls ]] && echo "${clients[@]}" || echo paf h2load; }
declare -A result
for transport in tls h2c; do
  url=$([[ $transport == tls ]] && echo "https://127.0.0.1:$tls_port/" || echo "http://127.0.0.1:$plain_port/")
  for ((i = 0; i < count; i++)); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done >"$work/urls"
  for ((round = 1; round <= rounds; round++)); do
    for client in $(clients_over "$transport"); do
      read -r wall cpu <<<"$(measure "$client" "$url")"
      result[$client,$transport,$round]=$(awk -v n="$count" -v w="$wall" -v c="$cpu" \
        'BEGIN { printf "%.0f %.0f %s\n", (c > 0 ? n / c : 0), (w > 0 ? n / w : 0), c }')
    done
  done
done
for transport in tls h2c; do
  for client in $(clients_over "$transport"); do
    result[$client,$transport]=$(
      for ((round = 1; round <= rounds; round++)); do echo "${result[$client,$transport,$round]}"; done |
        sort -g -k1,1 | awk -v n="$rounds" 'NR == int((n + 1) / 2)')
  done
done

echo "HTTP/2 client on loopback: $count GETs of 12 bytes over one connection, 10 in flight; h2o (one worker) on CPU 0, the client on CPU 1; median of $rounds rounds"
echo "req/s/core: requests over the client's CPU time (user + system); req/s: over its wall time"
printf '%-8s %-5s %12s %10s %8s\n' client over req/s/core req/s cpu_s
for transport in tls h2c; do
  for client in $(clients_over "$transport"); do
    read -r per_core rps cpu <<<"${result[$client,$transport]}"
    printf '%-8s %-5s %12s %10s %8s\n' "$client" "$transport" "$per_core" "$rps" "$cpu"
  done
done
echo "ratios (paf / peer), higher is better:"
for transport in tls h2c; do
  read -r paf_core paf_rps _ <<<"${result[paf,$transport]}"
  for peer in $(clients_over "$transport"); do
    [[ $peer == paf ]] && continue
    read -r core rps _ <<<"${result[$peer,$transport]}"
    awk -v t="$transport" -v p="$peer" -v a="$paf_core" -v b="$core" -v c="$paf_rps" -v d="$rps" \
      'BEGIN { printf "%-4s vs %-7s req/s per core x%.2f   req/s x%.2f\n", t, p, (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
  done
done
