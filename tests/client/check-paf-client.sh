#!/bin/bash
# paf-client against paf-server (and curl for the bytes): several URLs on one
# connection (HTTP/1.1 keep-alive, HTTP/2) as -v tells, ALPN and TLS version,
# h2c, a body sent and echoed byte for byte, -i, -o, --fail, and each failure
# kind's exit status and single stderr line.
# Usage: check-paf-client.sh PATH/TO/paf-client PATH/TO/paf-server
set -u
client=${1:?usage: check-paf-client.sh PAF_CLIENT PAF_SERVER}
server=${2:?usage: check-paf-client.sh PAF_CLIENT PAF_SERVER}
. "$(dirname "$0")/../support/paf-server-harness.sh"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
start_paf_server "$server" --http @PORT@ --https @PORT2@ --cert "$work/cert.pem" --key "$work/key.pem"
http=http://127.0.0.1:$port
https=https://localhost:$port2
pc() { timeout 60 "$client" "$@"; }

pc -v "$http/" "$http/" >"$work/out" 2>"$work/client.err"
check "h1: two answers" test "$(cat "$work/out")" = "Hello World!Hello World!"
check "h1: one connection, reused once" test "$(grep -c '^\* Connected' "$work/client.err")-$(grep -c 'Re-using' "$work/client.err")" = 1-1
check "h1: -v says HTTP/1.1" grep -q '^\* Using HTTP/1.1' "$work/client.err"

pc -v --cacert "$work/cert.pem" "$https/" "$https/large" "$https/random?len=5000&seed=3" >"$work/out" 2>"$work/client.err"
curl -sS --cacert "$work/cert.pem" --http2 "$https/" "$https/large" "$https/random?len=5000&seed=3" >"$work/curl"
check "h2: bytes as curl gets them" cmp -s "$work/out" "$work/curl"
check "h2: ALPN chose h2" grep -q 'ALPN: server accepted h2' "$work/client.err"
check "h2: TLS 1.3" grep -q 'TLS: TLSv1.3' "$work/client.err"
check "h2: one connection for three URLs" test "$(grep -c '^\* Connected' "$work/client.err")-$(grep -c 'Re-using' "$work/client.err")" = 1-2

pc -v --http1.1 --cacert "$work/cert.pem" "$https/" >"$work/out" 2>"$work/client.err"
check "--http1.1: ALPN chose http/1.1" grep -q 'ALPN: server accepted http/1.1' "$work/client.err"
pc -v --http2-prior-knowledge "$http/" >"$work/out" 2>"$work/client.err"
check "--http2-prior-knowledge: h2c" grep -q '^\* Using HTTP/2' "$work/client.err"
check "--http2-prior-knowledge: answered" test "$(cat "$work/out")" = "Hello World!"

head -c 300000 /dev/urandom >"$work/body"
pc --cacert "$work/cert.pem" --data-binary @"$work/body" -o "$work/echo" "$https/echo"
check "POST --data-binary @FILE -o FILE: the echo is the file" cmp -s "$work/body" "$work/echo"
check "-i: the status line first" test "$(pc -i "$http/" | head -1 | tr -d '\r')" = "HTTP/1.1 200 OK"

pc --fail "$http/missing" >/dev/null 2>"$work/client.err"; status=$?
check "--fail: 404 exits 22, one line" test "$status-$(wc -l <"$work/client.err")" = "22-1"

# Failure kinds: exit status and one line on stderr naming the kind.
failure() {  # failure NAME STATUS WORD ARGS...
  local name=$1 want=$2 word=$3 got
  shift 3
  pc "$@" >/dev/null 2>"$work/client.err"; got=$?
  check "$name: exit $want, one line saying $word" \
    test "$got-$(wc -l <"$work/client.err")-$(grep -c "$word" "$work/client.err")" = "$want-1-1"
}
closed_port=$((port + 2))
failure "refused" 7 connect "http://127.0.0.1:$closed_port/"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/other.key" -out "$work/other.pem" 2>/dev/null
failure "untrusted certificate" 35 TLS --cacert "$work/other.pem" "$https/"
failure "no such name" 6 resolve --connect-timeout 10 "http://no-such-host.invalid/"
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); time.sleep(5)' >"$work/silent.port" &
silent=$!
for _ in $(seq 50); do [ -s "$work/silent.port" ] && break; sleep 0.1; done
failure "no answer within -m" 28 timeout -m 0.5 "http://127.0.0.1:$(cat "$work/silent.port")/"
kill "$silent" 2>/dev/null; wait "$silent" 2>/dev/null
failure "bad usage" 2 usage --no-such-option "$http/"
failure "--net without an interface" 2 usage --net tap: "$http/"
failure "--net with --unix-socket" 2 usage --net tap:paftap9 --unix-socket "$work/none" "$http/"

stop_paf_server
[ "$failures" -eq 0 ] && echo "all paf-client checks passed"
exit "$failures"
