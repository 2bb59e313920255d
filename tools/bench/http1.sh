#!/usr/bin/env bash
# HTTP/1.1 side by side on loopback: paf-server, nginx and h2o, one worker each
# (each server pinned to CPU 0, wrk to CPU 1), wrk -t1 -c32 on GET / (a
# 12-byte body) and GET /large (1 MiB). Prints req/s, p50 and p99 latency,
# the CPU the server and wrk used and req/s per core (see http2.sh), and
# paf's ratios to each peer. Like for like: no server keeps an access log
# (nginx: access_log off; h2o: no access-log directive; paf-server:
# --access-log off), so none pays a write per request the others do not.
#
#   tools/bench/http1.sh BUILD_DIR      (DURATION=5 seconds per run by default)
set -euo pipefail
build=${1:-build/host}
duration=${DURATION:-5}
connections=${CONNECTIONS:-32}
paf_server=$build/tools/paf-server
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk nginx h2o taskset; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (make bench installs it)" >&2; exit 1; }
done
[[ -x $paf_server ]] || { echo "bench: $paf_server not built" >&2; exit 1; }

source "$(dirname "$0")/common.sh"

# The same content for every server: "Hello World!" at /, 1 MiB at /large.
mkdir -p "$work/www"
printf 'Hello World!' >"$work/www/hello"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$work/www/large"

start_paf() {
  taskset -c 0 "$paf_server" --host 127.0.0.1 --http "$1" --access-log off 2>/dev/null &
  pids+=($!)
}
start_nginx() {
  cat >"$work/nginx.conf" <<CONF
user $(id -un);
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$1;
    location = / { default_type text/plain; return 200 "Hello World!"; }
    location = /large { default_type application/octet-stream; alias $work/www/large; }
  }
}
CONF
  taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null &
  pids+=($!)
}
start_h2o() {
  write_h2o_conf "$work/h2o.conf" "$work" "$1" - - - "/large=$work/www/large" "/=$work/www/hello"
  taskset -c 0 h2o -c "$work/h2o.conf" >/dev/null 2>&1 &
  pids+=($!)
}

# A server that does not answer 200 with the right body is not measured.
check_answers() {
  local server=$1 url=$2 expected
  expected=$([[ $url == */large ]] && echo 1048576 || echo 12)
  local got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$url")
  if [[ $got != "200 $expected" ]]; then
    echo "bench: $server answers $url with '$got', expected '200 $expected'" >&2
    cat "$work"/*error.log >&2 2>/dev/null || true
    exit 1
  fi
}

# run_wrk URL -> "req_per_s p50_ms p99_ms"
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
    if (unit == "us") n /= 1000; else if (unit == "s") n *= 1000; else if (unit == "m") n *= 60000
    printf "%.3f", n }'
}
# run_wrk URL SERVER_PID... -> "req_per_s p50_ms p99_ms server_cpu client_cpu"
run_wrk() {
  local url=$1 client shares
  shift
  taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --latency "$url" >"$work/wrk.out" &
  client=$!
  shares=$(cpu_shares 0.5 "$client" "$@")  # the connections' setup not measured
  wait "$client" || true
  local out
  out=$(cat "$work/wrk.out")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    echo "bench: errors against $url:" >&2
    grep 'Non-2xx\|Socket errors' <<<"$out" >&2
  fi
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $shares"
}

declare -A result
for server in paf nginx h2o; do
  port=$(free_port)
  "start_$server" "$port"
  wait_listening "$port"
  for path in / /large; do
    check_answers "$server" "http://127.0.0.1:$port$path"
    result[$server,$path]=$(run_wrk "http://127.0.0.1:$port$path" "${pids[-1]}")
  done
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
done

echo "HTTP/1.1 on loopback, wrk -t1 -c$connections -d${duration}s, one server worker on CPU 0, wrk on CPU 1"
echo "cpu: share of a core over the run; req/s/core: req/s over the server's cpu"
printf '%-8s %-7s %10s %11s %8s %8s %9s %9s\n' server path req/s req/s/core srv_cpu wrk p50_ms p99_ms
for path in / /large; do
  for server in paf nginx h2o; do
    read -r rps p50 p99 scpu ccpu <<<"${result[$server,$path]}"
    per_core=$(awk -v r="$rps" -v c="$scpu" 'BEGIN { printf "%.0f", (c > 0 ? r / c : 0) }')
    printf '%-8s %-7s %10.0f %11s %8s %8s %9s %9s\n' "$server" "$path" "$rps" "$per_core" "$scpu" "$ccpu" "$p50" "$p99"
  done
done
echo "ratios (paf / peer): req/s and req/s per core higher is better, p99 lower is better"
for path in / /large; do
  read -r paf_rps _ paf_p99 paf_cpu _ <<<"${result[paf,$path]}"
  for peer in nginx h2o; do
    read -r rps _ p99 cpu _ <<<"${result[$peer,$path]}"
    awk -v path="$path" -v peer="$peer" -v a="$paf_rps" -v b="$rps" -v c="$paf_p99" -v d="$p99" \
        -v pc="$paf_cpu" -v qc="$cpu" 'BEGIN {
      per_core = (pc > 0 && qc > 0 && b > 0) ? (a / pc) / (b / qc) : 0
      printf "%-7s vs %-6s req/s x%.2f   per core x%.2f   p99 x%.2f\n", path, peer, a / b, per_core, (d > 0 ? c / d : 0) }'
  done
done
