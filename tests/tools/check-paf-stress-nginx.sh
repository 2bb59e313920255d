#!/bin/bash
# paf-stress against nginx (Debian's nginx-light, unprivileged, on loopback)
# over HTTP/1.1, HTTP/2 over TLS and h2c: nginx's access log has -c x -n
# requests, on exactly -c connections ($connection: each client its own); a
# location that answers 500 gives as many status errors and exit status 1.
# Usage: check-paf-stress-nginx.sh PATH/TO/paf-stress
set -u
stress=${1:?usage: check-paf-stress-nginx.sh PAF_STRESS}
here=$(dirname "$0")
work=$(mktemp -d)
nginx_pid=
failures=0
cleanup() {
  [ -n "$nginx_pid" ] && kill -KILL "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
if [ ! -x /usr/sbin/nginx ]; then
  echo "FAIL: no /usr/sbin/nginx (tools/install-build-deps installs nginx-light)"
  exit 1
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/www" "$work/temp"
echo "hello from nginx" >"$work/www/index.html"
# Run as root, nginx's workers become nobody: they must read the files.
chmod 755 "$work" "$work/www" "$work/temp" && chmod 644 "$work/www/index.html"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
listening() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null; }
for attempt in 1 2 3 4 5; do
  http_port=$(free_port) https_port=$(free_port) h2c_port=$(free_port)
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log info;
events { worker_connections 512; }
http {
  log_format conn '\$connection \$server_protocol \$request_uri \$status';
  access_log $work/access.log conn;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  keepalive_requests 1000;
  server {
    listen 127.0.0.1:$http_port;
    listen 127.0.0.1:$h2c_port http2;
    listen 127.0.0.1:$https_port ssl http2;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $work/www;
    location = /fail { return 500; }
  }
}
CONF
  /usr/sbin/nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 50); do
    listening "$http_port" && listening "$https_port" && listening "$h2c_port" && break 2
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; nginx_pid=
done
if [ -z "$nginx_pid" ]; then echo "FAIL: nginx did not start"; cat "$work/error.log"; exit 1; fi

# run NAME ARGS...: paf-stress's exit status in `status`, its figures in
# $work/NAME.figures, the access log's lines it caused in $work/NAME.log.
run() {
  local name=$1 before
  shift
  before=$(cat "$work/access.log" 2>/dev/null | wc -l)
  timeout 120 "$stress" "$@" >"$work/$name.out" 2>"$work/$name.err"; status=$?
  sleep 0.3  # nginx logs a request once answered; let its last lines land
  tail -n +"$((before + 1))" "$work/access.log" >"$work/$name.log"
  python3 "$here/stress-output.py" <"$work/$name.out" >"$work/$name.figures"
}
figure() { awk -v name="$2" '$1 == name { print $2 }' "$work/$1.figures"; }

# expect NAME REQUESTS CLIENTS NGINX-PROTOCOL STATUS (CLIENTS empty: nginx
# closes HTTP/1.1 connections after a 500, so the clients reconnect)
expect() {
  local name=$1 requests=$2 clients=$3 protocol=$4 code=$5
  check "$name: $requests requests, answered $code" \
    test "$(figure "$name" requests)-$(figure "$name" answered)-$(figure "$name" "status:$code")" = \
    "$requests-$requests-$requests"
  check "$name: nginx logged $requests $protocol requests" \
    test "$(grep -c " $protocol .* $code\$" "$work/$name.log")-$(wc -l <"$work/$name.log")" = "$requests-$requests"
  [ -z "$clients" ] || check "$name: on $clients connections, one per client" \
    test "$(cut -d' ' -f1 "$work/$name.log" | sort -u | wc -l)" = "$clients"
  check "$name: the histogram's counts add up to $requests" test "$(figure "$name" histogram)" = "$requests"
}

run h1 -c 10 -n 20 "http://127.0.0.1:$http_port/"
check "h1: exit 0" test "$status-$(figure h1 errors)" = "0-0"
expect h1 200 10 HTTP/1.1 200

run h2 -c 5 -n 40 -m 8 --cacert "$work/cert.pem" "https://localhost:$https_port/"
check "h2: exit 0" test "$status-$(figure h2 errors)" = "0-0"
check "h2: HTTP/2 over TLSv1.3" test "$(figure h2 connections:HTTP/2_over_TLSv1.3)" = 5
expect h2 200 5 HTTP/2.0 200

run h2c -c 4 -n 50 -m 10 --http2-prior-knowledge "http://127.0.0.1:$h2c_port/"
check "h2c: exit 0" test "$status-$(figure h2c errors)" = "0-0"
expect h2c 200 4 HTTP/2.0 200

run fail -c 4 -n 5 "http://127.0.0.1:$http_port/fail"
check "500: exit 1, 20 status errors" test "$status-$(figure fail error:status)" = "1-20"
check "500: Got 20 error(s)" grep -q '^Got 20 error(s)$' "$work/fail.out"
expect fail 20 "" HTTP/1.1 500

run fail_h2 -c 2 -n 10 -m 5 --json --cacert "$work/cert.pem" "https://localhost:$https_port/fail"
check "500 over h2, --json: exit 1, 20 errors, all status" test "$status" = 1
check "500 over h2, --json: the object says so" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["errors"] == 20 and result["errors_by_kind"]["status"]["count"] == 20, result
assert result["status_codes"] == {"500": 20} and sum(result["histogram"]["counts"]) == 20, result
' "$work/fail_h2.out"

kill -TERM "$nginx_pid"; wait "$nginx_pid" 2>/dev/null; nginx_pid=
[ "$failures" -eq 0 ] && echo "all paf-stress nginx checks passed"
exit "$failures"
