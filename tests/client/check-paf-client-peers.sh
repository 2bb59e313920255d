#!/bin/bash
# paf-client beside curl against nginx and h2o, started here on loopback (and
# a Unix socket) and stopped by PID: the same bytes for /, a 10 MiB file, a
# POST echoed by h2o, a redirect chain with -L, --unix-socket; and -o with
# several URLs placed as curl places them.
# Usage: check-paf-client-peers.sh PATH/TO/paf-client
set -u
client=${1:?usage: check-paf-client-peers.sh PAF_CLIENT}
work=$(mktemp -d)
failures=0
peers=()
cleanup() {
  local peer
  for peer in "${peers[@]}"; do
    kill -TERM "$peer" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$peer" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$peer" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
accepting() { timeout 1 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }
# wait_ports PID PORT...: every port accepts (10 s at most) while PID lives.
wait_ports() {
  local pid=$1 port
  shift
  for port in "$@"; do
    for _ in $(seq 100); do
      accepting "$port" && continue 2
      kill -0 "$pid" 2>/dev/null || return 1
      sleep 0.1
    done
    return 1
  done
}
sha() { sha256sum "$@" | cut -d' ' -f1; }
pc() { timeout 60 "$client" "$@"; }
cu() { timeout 60 curl -sS "$@"; }

# nginx's workers run as nobody when the test is root: everything readable.
chmod 755 "$work"
mkdir -p "$work/www" "$work/temp"
echo "hello from a peer" >"$work/www/index.html"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$work/www/large"
head -c 1000000 /dev/urandom >"$work/body"
chmod -R a+rX "$work/www"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

started=
for attempt in 1 2 3 4 5; do
  nginx_http=$(free_port) nginx_https=$(free_port)
  cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log info;
events { worker_connections 64; }
http {
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  access_log $work/nginx-access.log;
  server {
    listen 127.0.0.1:$nginx_http;
    listen unix:$work/nginx.sock;
    root $work/www;
    location = /r1 { return 301 /r2; }
    location = /r2 { return 302 http://localhost:$nginx_http/r3; }
    location = /r3 { return 307 https://localhost:$nginx_https/r4; }
  }
  server {
    listen 127.0.0.1:$nginx_https ssl http2;
    root $work/www;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    location = /r4 { return 308 /large; }
  }
}
EOF
  /usr/sbin/nginx -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
  nginx=$!
  wait_ports "$nginx" "$nginx_http" "$nginx_https" && { peers+=("$nginx"); started=1; break; }
  kill -KILL "$nginx" 2>/dev/null; wait "$nginx" 2>/dev/null
done
[ -n "$started" ] || { echo "FAIL: nginx did not start"; cat "$work/nginx-error.log"; exit 1; }

started=
for attempt in 1 2 3 4 5; do
  h2o_http=$(free_port) h2o_https=$(free_port)
  cat >"$work/h2o.conf" <<EOF
user: $(id -un)
pid-file: $work/h2o.pid
error-log: $work/h2o-error.log
num-threads: 1
listen:
  host: 127.0.0.1
  port: $h2o_http
listen:
  host: 127.0.0.1
  port: $h2o_https
  ssl:
    certificate-file: $work/cert.pem
    key-file: $work/key.pem
    ocsp-update-interval: 0
hosts:
  default:
    paths:
      /echo:
        mruby.handler: |
          Proc.new do |env|
            [200, {}, [env["rack.input"] ? env["rack.input"].read : ""]]
          end
      /:
        file.dir: $work/www
EOF
  /usr/bin/h2o -c "$work/h2o.conf" >"$work/h2o.out" 2>&1 &
  h2o=$!
  wait_ports "$h2o" "$h2o_http" "$h2o_https" && { peers+=("$h2o"); started=1; break; }
  kill -KILL "$h2o" 2>/dev/null; wait "$h2o" 2>/dev/null
done
[ -n "$started" ] || { echo "FAIL: h2o did not start"; cat "$work/h2o-error.log" "$work/h2o.out"; exit 1; }

large=$(sha "$work/www/large")
ca=(--cacert "$work/cert.pem")
# same NAME ARGS...: paf-client and curl, given ARGS, write the same bytes.
same() {
  local name=$1
  shift
  pc "$@" >"$work/pc.out" 2>"$work/pc.err"
  local pc_status=$?
  cu "$@" >"$work/curl.out"
  check "$name: paf-client (exit $pc_status) and curl give the same bytes" \
    test "$pc_status-$(sha "$work/pc.out")" = "0-$(sha "$work/curl.out")"
}

for peer in nginx h2o; do
  eval "http=http://127.0.0.1:\$${peer}_http https=https://localhost:\$${peer}_https"
  same "$peer http /" "$http/"
  same "$peer https /" "${ca[@]}" "$https/"
  same "$peer http 10 MiB" "$http/large"
  same "$peer https 10 MiB" "${ca[@]}" "$https/large"
  check "$peer: the 10 MiB file whole" test "$(sha "$work/pc.out")" = "$large"
  pc -v "${ca[@]}" "$https/" >/dev/null 2>"$work/pc.err"
  check "$peer https: HTTP/2 as ALPN chose" grep -q '^\* Using HTTP/2' "$work/pc.err"
done
same "h2o h2c by prior knowledge 10 MiB" --http2-prior-knowledge "http://127.0.0.1:$h2o_http/large"

same "h2o POST echo over h2" "${ca[@]}" --data-binary @"$work/body" "https://localhost:$h2o_https/echo"
check "h2o POST echo over h2: the body back" test "$(sha "$work/pc.out")" = "$(sha "$work/body")"
same "h2o POST echo over HTTP/1.1" --data-binary @"$work/body" "http://127.0.0.1:$h2o_http/echo"
check "h2o POST echo over HTTP/1.1: the body back" test "$(sha "$work/pc.out")" = "$(sha "$work/body")"

# 301 → 302 (to another host name) → 307 (to https) → 308: the 10 MiB file.
same "nginx redirect chain -L" -L "${ca[@]}" "http://127.0.0.1:$nginx_http/r1"
check "nginx redirect chain -L: the 10 MiB file" test "$(sha "$work/pc.out")" = "$large"
same "nginx redirect without -L: the 301's body" "http://127.0.0.1:$nginx_http/r1"

same "nginx --unix-socket /" --unix-socket "$work/nginx.sock" "http://localhost/"
same "nginx --unix-socket 10 MiB" --unix-socket "$work/nginx.sock" "http://localhost/large"
check "nginx --unix-socket: the 10 MiB file" test "$(sha "$work/pc.out")" = "$large"
check "nginx --unix-socket: nginx logged the unix: client" grep -q '^unix: .*GET /large' "$work/nginx-access.log"

# -o: one per URL, in order, wherever it stands; the URLs past the last -o
# to stdout; a -o past the last URL left out; no file for a failed transfer.
outputs() {  # outputs TOOL DIR ARGS...: runs TOOL in DIR; lists DIR's files with their sha256
  local tool=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && "$tool" "$@" >stdout 2>/dev/null; echo "exit $?" >status)
  (cd "$dir" && for f in *; do echo "$f $(sha "$f")"; done)
}
n=http://127.0.0.1:$nginx_http
for args in "-o a $n/ $n/large" "-o a -o b $n/ $n/large" "$n/ -o a $n/large -o b $n/missing" \
            "-o a -o b $n/" "--fail -o a $n/ -o b $n/missing"; do
  # (The last URL fails: curl exits with the last transfer's status,
  # paf-client with the first failure's.)
  # shellcheck disable=SC2086  # the words of $args are the arguments
  pc_files=$(outputs pc "$work/o-pc" $args)
  # shellcheck disable=SC2086
  curl_files=$(outputs cu "$work/o-curl" $args)
  check "-o: $args" test "$pc_files" = "$curl_files"
  [ "$pc_files" = "$curl_files" ] || diff <(echo "$pc_files") <(echo "$curl_files")
  rm -rf "$work/o-pc" "$work/o-curl"
done

[ "$failures" -eq 0 ] && echo "paf-client and curl agree against nginx and h2o"
exit "$failures"
