#!/bin/bash
# paf-stress against paf-server over HTTP/1.1, HTTP/2 over TLS and h2c: it
# sends -c x -n requests, as many as paf-server's access log shows, on one
# connection per client, the URLs in turn; the histogram's counts add up to
# the answers (the seed's run too: -c 50 -n 200, 10,000 requests); --json
# parses and says the same; bad usage (--net with -t 2) exits 2; errors are
# counted by kind with exit status 1: 404s with --fail, a refused port, and a
# server that resets every 10th connection (its own count of resets is the
# expected one).
# -t's workers add up; -r holds its rate within 5%, and against a server that stalls 200 ms once
# its latencies (from the scheduled times) show the stall for every request
# due meanwhile, where the closed model's show it only for those in flight.
# Usage: check-paf-stress.sh PATH/TO/paf-stress PATH/TO/paf-server
set -u
stress=${1:?usage: check-paf-stress.sh PAF_STRESS PAF_SERVER}
server=${2:?usage: check-paf-stress.sh PAF_STRESS PAF_SERVER}
here=$(dirname "$0")
. "$here/../support/paf-server-harness.sh"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
start_paf_server "$server" --http @PORT@ --https @PORT2@ --cert "$work/cert.pem" --key "$work/key.pem"
http=http://127.0.0.1:$port
https=https://localhost:$port2

# run NAME ARGS...: runs paf-stress, keeps its exit status in `status`, its
# figures (stress-output.py) in $work/NAME.figures and the access log's lines
# it caused in $work/NAME.log.
run() {
  local name=$1 before
  shift
  before=$(wc -l <"$work/err")
  timeout 120 "$stress" "$@" >"$work/$name.out" 2>"$work/$name.err"; status=$?
  sleep 0.2  # paf-server logs a request as it answers: the last lines are out by now
  tail -n +"$((before + 1))" "$work/err" | grep -E '^[A-Z]+ /' >"$work/$name.log"
  python3 "$here/stress-output.py" <"$work/$name.out" >"$work/$name.figures"
}
figure() { awk -v name="$2" '$1 == name { print $2 }' "$work/$1.figures"; }

# expect_clean NAME REQUESTS PROTOCOL CLIENTS: REQUESTS answered without error,
# logged by the server, drawn in the histogram, on CLIENTS connections.
expect_clean() {
  local name=$1 requests=$2 protocol=$3 clients=$4
  check "$name: exit 0, no error" test "$status-$(figure "$name" errors)" = "0-0"
  check "$name: $requests requests, all answered 200" \
    test "$(figure "$name" requests)-$(figure "$name" answered)-$(figure "$name" status:200)" = \
    "$requests-$requests-$requests"
  check "$name: the access log has the $requests requests" test "$(wc -l <"$work/$name.log")" = "$requests"
  check "$name: the histogram's counts add up to $requests" test "$(figure "$name" histogram)" = "$requests"
  check "$name: $clients connections, $protocol" test "$(figure "$name" "connections:$protocol")" = "$clients"
}

run h1 -c 8 -n 25 "$http/"
expect_clean h1 200 HTTP/1.1 8

# The seed's own run (paf-le-chien's `clients.exe -c 50 -n 200`).
run seed -c 50 -n 200 "$http/"
expect_clean seed 10000 HTTP/1.1 50

run h2 -c 4 -n 50 -m 10 --cacert "$work/cert.pem" "$https/"
expect_clean h2 200 HTTP/2_over_TLSv1.3 4

run h1tls -c 3 -n 20 --http1.1 --cacert "$work/cert.pem" "$https/"
expect_clean h1tls 60 HTTP/1.1_over_TLSv1.3 3

run h2c -c 5 -n 40 -m 8 --http2-prior-knowledge "$http/"
expect_clean h2c 200 "HTTP/2_cleartext_(h2c)" 5

run urls -c 4 -n 30 -m 4 --http2-prior-knowledge "$http/" "$http/random?len=1000&seed=5" "$http/large"
expect_clean urls 120 "HTTP/2_cleartext_(h2c)" 4
check "urls: taken in turn, 40 each" \
  test "$(grep -c '^GET / 200' "$work/urls.log")-$(grep -c '^GET /random' "$work/urls.log")-$(grep -c '^GET /large' "$work/urls.log")" = "40-40-40"
check "urls: the bodies' bytes counted (40 x (12 + 1000 + 1048576))" grep -q '(41.98 MB of response bodies)' "$work/urls.out"

# -t: worker processes, each with its share of the clients; results add up.
run workers -t 3 -c 7 -n 20 "$http/"
expect_clean workers 140 HTTP/1.1 7
run workers_h2 -t 2 -c 4 -n 25 -m 5 --cacert "$work/cert.pem" "$https/"
expect_clean workers_h2 100 HTTP/2_over_TLSv1.3 4

run post -c 2 -n 10 -D hello "$http/echo"
expect_clean post 20 HTTP/1.1 2
check "post: -D sends a POST" test "$(grep -c '^POST /echo 200' "$work/post.log")" = 20

run json -c 3 -n 7 --json "$http/"
check "--json: exit 0" test "$status" = 0
check "--json: one JSON object, as the text says" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["requests"] == 21 and result["answered"] == 21 and result["errors"] == 0, result
assert sum(result["histogram"]["counts"]) == 21, result["histogram"]
assert result["status_codes"] == {"200": 21}, result["status_codes"]
assert result["connections"] == {"HTTP/1.1": 3}, result["connections"]
lat = result["latency_ms"]
assert 0 < lat["fastest"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"] == lat["slowest"], lat
' "$work/json.out"

run duration -c 2 -d 0.5 "$http/"
check "-d 0.5: exit 0, some requests, all logged" \
  test "$status-$(figure duration errors)-$(wc -l <"$work/duration.log")" = "0-0-$(figure duration requests)"
check "-d 0.5: ran about half a second" grep -Eq 'Total: +0\.(4|5|6)' "$work/duration.out"

# The progress line: on stderr once a second, only when it is a terminal.
check "no progress line when stderr is a file" test ! -s "$work/h1.err"
python3 -c '
import os, pty, subprocess, sys
leader, follower = pty.openpty()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=follower, timeout=60)
os.close(follower)
sys.stdout.write(os.read(leader, 65536).decode(errors="replace"))
' "$stress" -c 2 -d 1.5 "$http/" >"$work/progress.tty"
check "a progress line on a terminal stderr" grep -Eq '[0-9]+ requests, [0-9]+ req/s, 0 errors' "$work/progress.tty"

run buckets -c 2 -n 10 --buckets 0.5 "$http/"
check "--buckets 0.5: buckets of 0.5 ms" grep -q '^Histogram (0.5 ms buckets):' "$work/buckets.out"
check "--buckets 0.5: the counts add up" test "$(figure buckets histogram)" = 20

# Bad usage: exit 2 and a line saying why. --net's TAP interface is opened by
# one process, so not by -t's workers.
"$stress" --net tap:paf-none -t 2 "$http/" >"$work/net_workers.out" 2>&1; status=$?
check "--net with -t 2: exit 2, said why" \
  test "$status-$(grep -c -- '--net tap:IFACE runs in one process: not with -t 2' "$work/net_workers.out")" = 2-1
"$stress" --help >"$work/help.out" 2>&1; status=$?
check "--help: exit 0, says --net is not for -t" \
  test "$status-$(grep -c 'one process only: not with -t N > 1' "$work/help.out")" = 0-1

# Failures: counted by kind, "Got N error(s)", exit status 1.
run missing -c 2 -n 5 --fail "$http/" "$http/missing"
check "--fail 404: exit 1, 5 status errors, 5 answered 200" \
  test "$status-$(figure missing error:status)-$(figure missing status:200)-$(figure missing status:404)" = "1-5-5-5"
check "--fail 404: Got 5 error(s)" grep -q '^Got 5 error(s)$' "$work/missing.out"
run missing_no_fail -c 2 -n 5 "$http/missing"
check "404 without --fail: not an error" test "$status-$(figure missing_no_fail status:404)" = "0-10"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/other.key" -out "$work/other.pem" 2>/dev/null
run untrusted -c 3 -n 2 --cacert "$work/other.pem" "$https/"
check "untrusted certificate: exit 1, 6 TLS errors" \
  test "$status-$(figure untrusted error:tls)-$(figure untrusted errors)" = "1-6-6"

closed_port=$((port + 2))
run refused -c 3 -n 2 "http://127.0.0.1:$closed_port/"
check "refused: exit 1, 6 connect errors" \
  test "$status-$(figure refused error:connect)-$(figure refused errors)" = "1-6-6"

# A server that resets (RST) every 10th connection it accepts on its first
# request, and answers the others' requests with keep-alive; it writes its
# count of resets on SIGTERM.
python3 -c '
import signal, socket, struct, sys, threading
resets = 0; accepted = 0; lock = threading.Lock()
def done(*_):
    open(sys.argv[1], "w").write(str(resets)); sys.exit(0)
signal.signal(signal.SIGTERM, done)
def serve(c, reset):
    global resets
    c.settimeout(30)
    data = b""
    try:
        while True:
            while b"\r\n\r\n" not in data:
                chunk = c.recv(4096)
                if not chunk: return c.close()
                data += chunk
            data = data[data.index(b"\r\n\r\n") + 4:]
            if reset:
                with lock: resets += 1
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return c.close()
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    except OSError:
        c.close()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(128)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    accepted += 1
    threading.Thread(target=serve, args=(c, accepted % 10 == 0), daemon=True).start()
' "$work/resets" >"$work/resetting.port" &
resetting=$!
for _ in $(seq 50); do [ -s "$work/resetting.port" ] && break; sleep 0.1; done
run resetting -c 20 -n 3 "http://127.0.0.1:$(cat "$work/resetting.port")/"
kill -TERM "$resetting"
for _ in $(seq 50); do [ -s "$work/resets" ] && break; sleep 0.1; done
kill -KILL "$resetting" 2>/dev/null; wait "$resetting" 2>/dev/null
resets=$(cat "$work/resets" 2>/dev/null)
check "resetting server: it reset 2 or more connections" test "${resets:-0}" -ge 2
check "resetting server: exit 1, one reset error per reset, the rest answered" \
  test "$status-$(figure resetting error:reset)-$(figure resetting errors)-$(figure resetting answered)" = \
  "1-$resets-$resets-$((60 - resets))"
check "resetting server: Got $resets error(s)" grep -q "^Got $resets error(s)$" "$work/resetting.out"

# -r: an open model at a constant rate.
run rate -c 4 -n 100 -r 200 --json "$http/"
check "-r 200: exit 0, 400 requests, all logged" \
  test "$status-$(wc -l <"$work/rate.log")" = "0-400"
check "-r 200: held within 5%" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["rate_asked"] == 200 and result["requests"] == 400, result
assert abs(result["requests_per_second"] - 200) <= 10, result["requests_per_second"]
' "$work/rate.out"

run rate_workers -t 2 -c 4 -n 50 -r 200 --json "$http/"
check "-t 2 -r 200: the rate split over the workers, held within 5%" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["requests"] == 200 and sum(result["histogram"]["counts"]) == 200, result
assert abs(result["requests_per_second"] - 200) <= 10, result["requests_per_second"]
' "$work/rate_workers.out"

# A server that stalls every answer for 200 ms once its 100th request comes.
stalling_server() {
  python3 -c '
import socket, sys, threading, time
count = 0; stall_until = 0.0; lock = threading.Lock()
def serve(c):
    global count, stall_until
    c.settimeout(30)
    data = b""
    try:
        while True:
            while b"\r\n\r\n" not in data:
                chunk = c.recv(4096)
                if not chunk: return c.close()
                data += chunk
            data = data[data.index(b"\r\n\r\n") + 4:]
            with lock:
                count += 1
                if count == 100: stall_until = time.monotonic() + 0.2
                wait = stall_until - time.monotonic()
            if wait > 0: time.sleep(wait)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    except OSError:
        c.close()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(128)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' >"$work/stalling.port" &
  stalling=$!
  # Python starts slowly on a loaded machine: up to 30 s, then say so.
  for _ in $(seq 300); do [ -s "$work/stalling.port" ] && break; sleep 0.1; done
  [ -s "$work/stalling.port" ] || { echo "FAIL: the stalling server did not start"; exit 1; }
}
slow_answers() {  # slow_answers NAME: how many took 50 ms or more (10 ms buckets)
  python3 -c 'import json, sys; print(sum(json.load(open(sys.argv[1]))["histogram"]["counts"][5:]))' "$work/$1.out"
}
stalling_server
run stall_open -c 2 -n 200 -r 200 --json "http://127.0.0.1:$(cat "$work/stalling.port")/"
open_status=$status
kill "$stalling"; wait "$stalling" 2>/dev/null
stalling_server
run stall_closed -c 2 -n 200 --json "http://127.0.0.1:$(cat "$work/stalling.port")/"
kill "$stalling"; wait "$stalling" 2>/dev/null
open_slow=$(slow_answers stall_open) closed_slow=$(slow_answers stall_closed)
echo "answers of 50 ms or more in the stall: $open_slow with -r 200, $closed_slow without"
check "stall: exit 0 with and without -r" test "$open_status-$status" = 0-0
stalling_server
run stall_timeout -c 2 -n 100 --timeout 0.1 "http://127.0.0.1:$(cat "$work/stalling.port")/"
kill "$stalling"; wait "$stalling" 2>/dev/null
# Each client's request in the stall times out, and so may the one it sends
# next, 100 ms into the 200 ms stall: 2 to 4 timeouts, no other error (up to
# 8: on a loaded machine an answer outside the stall can take 100 ms too).
timeouts=$(figure stall_timeout error:timeout)
check "stall, --timeout 0.1: 2 to 8 timeouts, nothing else, exit 1" \
  test "$status-$(figure stall_timeout errors)-$((timeouts >= 2 && timeouts <= 8))" = "1-$timeouts-1"
check "stall, -r 200: the ~40 requests due during the 200 ms stall show it (20 or more of 50 ms+)" \
  test "$open_slow" -ge 20
check "stall, closed model: only the 2 in flight show it (5 or fewer)" test "$closed_slow" -le 5

check "paf-server exits 0 on SIGTERM" stop_paf_server
[ "$failures" -eq 0 ] && echo "all paf-stress checks passed"
exit "$failures"
