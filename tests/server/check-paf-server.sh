#!/bin/bash
# paf-server against real curl: the demo contract over HTTP/1.1, connection
# reuse, HEAD, a chunked 10 MiB echo, Expect: 100-continue, a malformed
# request, and a graceful exit 0 on SIGTERM.
# Usage: check-paf-server.sh PATH/TO/paf-server
set -u
server=${1:?usage: check-paf-server.sh PAF_SERVER}
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 0; }
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; failures=$((failures + 1)); fi
}

# Start on a free port: try a few, each bounded by a timeout.
port=
for attempt in 1 2 3 4 5 6 7 8; do
  try=$((20000 + ($$ * 7 + attempt * 1013) % 20000))
  "$server" --http "$try" >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 50); do
    grep -q "paf-server: listening on http://127.0.0.1:$try" "$work/out" && { port=$try; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] && break
  kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
done
[ -n "$port" ] || { echo "FAIL: paf-server did not start"; cat "$work/err"; exit 1; }
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

head -c $((10 * 1024 * 1024)) /dev/urandom >"$work/upload"
want=$(sha256sum <"$work/upload" | cut -d' ' -f1)
got=$(c -H 'Transfer-Encoding: chunked' -H 'Expect:' --data-binary @"$work/upload" "$base/echo" | sha256sum | cut -d' ' -f1)
check "chunked 10 MiB echo comes back identical" test "$want" = "$got"
got=$(c -v -H 'Expect: 100-continue' --data-binary @"$work/upload" "$base/echo" 2>"$work/continue.log" | sha256sum | cut -d' ' -f1)
check "Expect: 100-continue upload echoes" test "$want" = "$got"
check "Expect: 100-continue got 100 Continue" grep -q '100 Continue' "$work/continue.log"

# A malformed request gets 400, and the server still serves the next client.
reply=$(timeout 10 bash -c "trap '' PIPE
  exec 3<>/dev/tcp/127.0.0.1/$port
  echo -n \$'GET / HTTP/1.1\\r\\nHost: x\\r\\nBad Header\\r\\n\\r\\n' >&3
  head -c 12 <&3" 2>/dev/null)
check "malformed request: 400" test "$reply" = "HTTP/1.1 400"
check "next client still served" test "$(c "$base/")" = "Hello World!"

kill -TERM "$pid"
status=124
for _ in $(seq 100); do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; status=$?; break; fi
  sleep 0.1
done
pid=
check "SIGTERM: exit 0" test "$status" = 0

[ "$failures" = 0 ] || { echo "--- server log"; cat "$work/err"; exit 1; }
echo "check-paf-server: all passed"
