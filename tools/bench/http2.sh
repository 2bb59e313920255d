#!/usr/bin/env bash
# HTTP/2 side by side on loopback: paf-server, h2o and nghttpd, one worker
# each (each server pinned to CPU 0, h2load to CPU 1), h2load -t1 -c32 -m10
# (32 connections, 10 streams in flight on each) on GET / (a 12-byte body) and
# GET /large (1 MiB), over TLS (ALPN h2) and over h2c (prior knowledge). No
# server keeps an access log. Every server is first checked to answer 200
# with the right number of bytes.
#
# Prints req/s (h2load's "finished in ..., N req/s" over the measured
# duration) and the p50 and p99 of per-request latency: h2load --log-file
# writes, for every request, the microseconds from its start to the end of
# its response; those are sorted and ranked here (h2load's own summary only
# has min/max/mean/sd). Beside them, the CPU the server and h2load used over
# the measured duration (/proc/PID/stat, the server's worker processes
# included), and req/s per core: req/s divided by the server's share of its
# core. When h2load saturates its own core, the server idles part of the
# time and req/s measures the client; req/s per core still measures the
# server. Each measurement is made ROUNDS times, the servers taking turns,
# and the round with the median req/s is shown. Then paf's ratios to each
# peer, and the memory a paf-server holds per idle connection: the growth of
# its VmRSS (/proc/PID/status) with IDLE (200) idle connections, divided by
# IDLE.
#
#   tools/bench/http2.sh BUILD_DIR   (DURATION=5 seconds per run, ROUNDS=3, IDLE=200)
set -euo pipefail
build=${1:-build/host}
duration=${DURATION:-5}
rounds=${ROUNDS:-3}
idle=${IDLE:-200}
here=$(cd "$(dirname "$0")" && pwd)
paf_server=$build/tools/paf-server
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in h2load h2o nghttpd taskset curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (make bench installs it)" >&2; exit 1; }
done
[[ -x $paf_server ]] || { echo "bench: $paf_server not built" >&2; exit 1; }
source "$here/common.sh"

"$here/../make-test-cert" "$work/cert" >/dev/null
cert=$work/cert/localhost.pem key=$work/cert/localhost.key

# The same content for every server: "Hello World!" at /, 1 MiB at /large.
mkdir -p "$work/www"
printf 'Hello World!' >"$work/www/index.html"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$work/www/large"

# start_SERVER PLAIN_PORT TLS_PORT: serves h2c on the first, TLS on the second.
start_paf() {
  taskset -c 0 "$paf_server" --host 127.0.0.1 --http "$1" --https "$2" --cert "$cert" --key "$key" \
    --access-log off >/dev/null 2>&1 &
  pids+=($!)
}
start_h2o() {
  write_h2o_conf "$work/h2o.conf" "$work" "$1" "$2" "$cert" "$key" \
    "/large=$work/www/large" "/=$work/www/index.html"
  taskset -c 0 h2o -c "$work/h2o.conf" >/dev/null 2>&1 &
  pids+=($!)
}
# nghttpd serves clear text or TLS, not both: two processes, one measured at a time.
start_nghttpd() {
  taskset -c 0 nghttpd -n 1 -d "$work/www" --no-tls "$1" >/dev/null 2>&1 &
  pids+=($!)
  taskset -c 0 nghttpd -n 1 -d "$work/www" "$2" "$key" "$cert" >/dev/null 2>&1 &
  pids+=($!)
}

# A server that does not answer 200 with the right body over h2 is not measured.
check_answers() {  # check_answers SERVER URL
  local expected got flag=--http2
  expected=$([[ $2 == */large ]] && echo 1048576 || echo 12)
  [[ $2 == http:* ]] && flag=--http2-prior-knowledge
  got=$(curl -sk "$flag" -o /dev/null -w '%{http_code} %{size_download} %{http_version}' "$2")
  if [[ $got != "200 $expected 2" ]]; then
    echo "bench: $1 answers $2 with '$got', expected '200 $expected 2'" >&2
    exit 1
  fi
}

# run_h2load URL SERVER_PID... -> "req_per_s p50_ms p99_ms server_cpu client_cpu"
# (the CPU as the share of one core, 0.00-1.00, over the measured duration)
run_h2load() {
  local url=$1
  shift
  rm -f "$work/requests.log"  # h2load appends to it
  taskset -c 1 h2load -t1 -c32 -m10 -D "$duration" --warm-up-time 1 \
    --log-file "$work/requests.log" "$url" >"$work/h2load.out" 2>&1 &
  local client=$! shares
  shares=$(cpu_shares 1 "$client" "$@")  # after h2load's 1 s warm-up, not measured
  wait "$client" || true
  local out
  out=$(cat "$work/h2load.out")
  if ! grep -q ' 0 failed, 0 errored, 0 timeout' <<<"$out"; then
    echo "bench: errors against $url:" >&2
    grep '^requests:' <<<"$out" >&2
  fi
  local rps
  rps=$(awk '/^finished in/ { sub(/,$/, "", $4); print $4 }' <<<"$out")
  cut -f3 "$work/requests.log" | sort -n >"$work/latency"
  awk -v rps="$rps" -v shares="$shares" '{ v[NR] = $1 } END {
    p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
    printf "%s %.3f %.3f %s\n", rps, p50 / 1000, p99 / 1000, shares }' "$work/latency"
}

servers=(paf h2o nghttpd)
declare -A result
for ((round = 1; round <= rounds; round++)); do
  for server in "${servers[@]}"; do
    plain_port=$(free_port)
    tls_port=$(free_port $((plain_port + 1)))
    "start_$server" "$plain_port" "$tls_port"
    server_pids=("${pids[@]}")
    wait_listening "$plain_port" "$server"
    wait_listening "$tls_port" "$server"
    if [[ $server == paf && $round == 1 ]]; then
      # Memory per idle connection, each kind from its own baseline, measured
      # before the load runs: what they leave in the allocator would blur it.
      paf_pid=${pids[-1]}
      rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$paf_pid/status"; }
      # hold MODE PORT N: N idle connections; prints the RSS growth while held.
      hold() {
        local before after ready
        before=$(rss)
        coproc probe { exec python3 "$here/idle-connections.py" "$1" 127.0.0.1 "$2" "$3"; }
        read -r -t 60 ready <&"${probe[0]}" || ready=
        [[ $ready == ready ]] || { echo "bench: idle connections ($1) failed" >&2; exit 1; }
        after=$(rss)
        exec {probe[1]}>&-
        wait "$probe_PID" 2>/dev/null || true
        sleep 0.5  # the server closes them
        echo $((after - before))
      }
      for mode in h2c tls-h2 tls-http1; do
        port=$([[ $mode == h2c ]] && echo "$plain_port" || echo "$tls_port")
        hold "$mode" "$port" 10 >/dev/null  # code and allocator arenas touched first
        result[paf,idle,$mode]=$(( $(hold "$mode" "$port" "$idle") / idle ))
      done
    fi
    for path in / /large; do
      for transport in tls h2c; do
        url=$([[ $transport == tls ]] && echo "https://127.0.0.1:$tls_port$path" || echo "http://127.0.0.1:$plain_port$path")
        [[ $round == 1 ]] && check_answers "$server" "$url"
        result[$server,$transport,$path,$round]=$(run_h2load "$url" "${server_pids[@]}")
      done
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
  done
done
# The round with the median req/s of each measurement.
for server in "${servers[@]}"; do
  for transport in tls h2c; do
    for path in / /large; do
      result[$server,$transport,$path]=$(
        for ((round = 1; round <= rounds; round++)); do echo "${result[$server,$transport,$path,$round]}"; done |
          sort -g -k1,1 | awk -v n="$rounds" 'NR == int((n + 1) / 2)')
    done
  done
done

echo "HTTP/2 on loopback, h2load -t1 -c32 -m10 -D${duration}s (1 s warm-up), one server worker on CPU 0, h2load on CPU 1; median of $rounds rounds"
echo "p50/p99: of every request's time from its start to the end of its response (h2load --log-file)"
echo "cpu: share of a core over the measured duration; req/s/core: req/s over the server's cpu"
printf '%-8s %-5s %-7s %10s %11s %8s %8s %9s %9s\n' server over path req/s req/s/core srv_cpu h2load p50_ms p99_ms
for transport in tls h2c; do
  for path in / /large; do
    for server in "${servers[@]}"; do
      read -r rps p50 p99 scpu ccpu <<<"${result[$server,$transport,$path]}"
      per_core=$(awk -v r="$rps" -v c="$scpu" 'BEGIN { printf "%.0f", (c > 0 ? r / c : 0) }')
      printf '%-8s %-5s %-7s %10.0f %11s %8s %8s %9s %9s\n' "$server" "$transport" "$path" "$rps" "$per_core" "$scpu" "$ccpu" "$p50" "$p99"
    done
  done
done
echo "ratios (paf / peer): req/s and req/s per core higher is better, p99 lower is better"
for transport in tls h2c; do
  for path in / /large; do
    read -r paf_rps _ paf_p99 paf_cpu _ <<<"${result[paf,$transport,$path]}"
    for peer in h2o nghttpd; do
      read -r rps _ p99 cpu _ <<<"${result[$peer,$transport,$path]}"
      awk -v what="$transport $path" -v peer="$peer" -v a="$paf_rps" -v b="$rps" -v c="$paf_p99" -v d="$p99" \
          -v pc="$paf_cpu" -v qc="$cpu" 'BEGIN {
        per_core = (pc > 0 && qc > 0 && b > 0) ? (a / pc) / (b / qc) : 0
        printf "%-11s vs %-8s req/s x%.2f   per core x%.2f   p99 x%.2f\n", what, peer, a / b, per_core, (d > 0 ? c / d : 0) }'
    done
  done
done
echo "paf-server memory per idle connection (VmRSS growth over $idle connections / $idle):"
printf '  h2c (preface + SETTINGS exchanged)   %8s bytes\n' "${result[paf,idle,h2c]}"
printf '  TLS 1.3 + h2 (same, over TLS)        %8s bytes\n' "${result[paf,idle,tls-h2]}"
printf '  TLS 1.3 + http/1.1 (no request yet)  %8s bytes\n' "${result[paf,idle,tls-http1]}"
