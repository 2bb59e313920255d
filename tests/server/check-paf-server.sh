#!/bin/bash
# paf-server against real curl: the demo contract over HTTP/1.1, connection
# reuse, pipelining, HEAD, a chunked 10 MiB echo, Expect: 100-continue, each
# bad input's status, and a graceful exit 0 on SIGTERM.
# Usage: check-paf-server.sh PATH/TO/paf-server
set -u
server=${1:?usage: check-paf-server.sh PAF_SERVER}
command -v curl >/dev/null || { echo "FAIL: no curl (make test installs it: tools/install-build-deps)"; exit 1; }
. "$(dirname "$0")/../support/paf-server-harness.sh"
start_paf_server "$server" --http @PORT@
base=http://127.0.0.1:$port
c() { curl -sS --max-time 30 "$@"; }

check "GET / says Hello World!" test "$(c "$base/")" = "Hello World!"

connects=$(c -o /dev/null -o /dev/null -w '%{num_connects}\n' "$base/" "$base/large" | awk '{ n += $1 } END { print n }')
check "two URLs share one connection" test "$connects" = 1

c -I "$base/large" -o /dev/null -D "$work/head.h" 2>/dev/null
# curl -X HEAD would wait for the body the length announces: read raw instead.
timeout 10 bash -c "trap '' PIPE
  exec 3<>/dev/tcp/127.0.0.1/$port
  echo -n \$'HEAD /large HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' >&3
  cat <&3" >"$work/head.raw" 2>/dev/null
sed '1,/^\r$/d' "$work/head.raw" >"$work/head.body"
check "HEAD /large: content-length 1048576" grep -qi '^content-length: 1048576' "$work/head.h"
check "HEAD /large (raw): 200, length 1048576" grep -q "^content-length: 1048576" "$work/head.raw"
check "HEAD /large: no body" test ! -s "$work/head.body"
check "GET /large: 1 MiB" test "$(c "$base/large" | wc -c)" = 1048576

check "GET /random: x-length and N bytes" test "$(c -D "$work/random.h" "$base/random?len=1000&seed=7" | wc -c)" = 1000
check "GET /random: x-seed" grep -qi '^x-seed: 7' "$work/random.h"
check "GET /random is deterministic" test "$(c "$base/random?len=5000&seed=9" | sha256sum)" = "$(c "$base/random?len=5000&seed=9" | sha256sum)"
check "POST / has a body" test -n "$(c -d hello "$base/")"
check "unknown path: 404" test "$(c -o /dev/null -w '%{http_code}' "$base/nowhere")" = 404
# RFC 9113 §3.1 deprecates Upgrade: h2c; like nginx, paf answers in HTTP/1.1
# (curl --http2 on http:// asks for it). h2c is by prior knowledge.
check "Upgrade: h2c is ignored: HTTP/1.1 200" test "$(c --http2 -o /dev/null -w '%{http_version} %{http_code}' "$base/")" = "1.1 200"

head -c $((10 * 1024 * 1024)) /dev/urandom >"$work/upload"
want=$(sha256sum <"$work/upload" | cut -d' ' -f1)
got=$(c -H 'Transfer-Encoding: chunked' -H 'Expect:' --data-binary @"$work/upload" "$base/echo" | sha256sum | cut -d' ' -f1)
check "chunked 10 MiB echo comes back identical" test "$want" = "$got"
got=$(c -v -H 'Expect: 100-continue' --data-binary @"$work/upload" "$base/echo" 2>"$work/continue.log" | sha256sum | cut -d' ' -f1)
check "Expect: 100-continue upload echoes" test "$want" = "$got"
check "Expect: 100-continue got 100 Continue" grep -q '100 Continue' "$work/continue.log"

# raw BYTES: sends BYTES (printf format) on a fresh connection and prints all
# that comes back until the server closes (10 s at most).
raw() {
  timeout 10 bash -c "trap '' PIPE
    exec 3<>/dev/tcp/127.0.0.1/$port
    printf '$1' >&3
    cat <&3" 2>/dev/null
}
status_of() { head -c 12 | tail -c 3; }

# Pipelined requests, sent in one write, come back in order.
raw 'GET /random?len=5&seed=1 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET /random?len=3&seed=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$work/pipelined"
order=$(grep -aoE 'x-seed: [0-9]+|Hello World!' "$work/pipelined" | tr '\n' ,)
check "pipelined responses in request order" test "$order" = "x-seed: 1,Hello World!,x-seed: 2,"

# Each bad input gets its status (and the connection is closed: raw returns).
check "malformed header: 400" test "$(raw 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n' | status_of)" = 400
long=$(head -c 20000 /dev/zero | tr '\0' a)
check "header section over 16 KiB: 431" test "$(raw "GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Long: $long\\r\\n\\r\\n" | status_of)" = 431
check "body over the limit: 413" test "$(raw 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n' | status_of)" = 413
check "Content-Length with Transfer-Encoding: 400" test "$(raw 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' | status_of)" = 400
check "differing Content-Lengths: 400" test "$(raw 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd' | status_of)" = 400
check "bad chunk size: 400" test "$(raw 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n' | status_of)" = 400
check "obs-fold: 400" test "$(raw 'GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n  two\r\n\r\n' | status_of)" = 400
check "HTTP/1.0 answered and closed" test "$(raw 'GET / HTTP/1.0\r\n\r\n' | tail -c 12)" = "Hello World!"
check "next client still served" test "$(c "$base/")" = "Hello World!"

stop_paf_server; status=$?
check "SIGTERM: exit 0" test "$status" = 0

[ "$failures" = 0 ] || { echo "--- server log"; cat "$work/err"; exit 1; }
echo "check-paf-server: all passed"
