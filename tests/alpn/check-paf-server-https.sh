#!/bin/bash
# paf-server's TLS and h2c against real peers: curl (HTTP/2 and HTTP/1.1 over
# TLS by ALPN, h2c with prior knowledge, HTTP/1.1 in clear), nghttp's frames,
# h2load (10 000 requests, none failed), openssl s_client (TLS 1.3, ALPN, SNI
# picking the second certificate, sessions resumed by ticket and by session
# ID), a client leaving mid-handshake, a 10 MiB echo over h2, and slowloris cut
# off by --header-timeout while others are served.
# Usage: check-paf-server-https.sh PATH/TO/paf-server PATH/TO/make-test-cert
set -u
server=${1:?usage: check-paf-server-https.sh PAF_SERVER MAKE_TEST_CERT}
make_cert=${2:?usage: check-paf-server-https.sh PAF_SERVER MAKE_TEST_CERT}
for tool in curl openssl nghttp h2load; do
  command -v "$tool" >/dev/null || { echo "FAIL: no $tool (make test installs it: tools/install-build-deps)"; exit 1; }
done
. "$(dirname "$0")/../support/paf-server-harness.sh"
holders=()
trap 'for holder in "${holders[@]}"; do kill -KILL "$holder" 2>/dev/null; done; harness_cleanup' EXIT

"$make_cert" "$work/cert" second.test >/dev/null || { echo "FAIL: make-test-cert"; exit 1; }

start_paf_server "$server" --http @PORT@ --https @PORT2@ --header-timeout 1 \
  --cert "$work/cert/localhost.pem" --key "$work/cert/localhost.key" \
  --cert "$work/cert/second.test.pem" --key "$work/cert/second.test.key"
tls_port=$port2
plain=http://127.0.0.1:$port
tls=https://127.0.0.1:$tls_port
c() { curl -sS --max-time 30 "$@"; }

# --- curl: one protocol each way ---------------------------------------------
check "TLS, curl --http2: HTTP/2 and Hello World!" \
  test "$(c -k --http2 -w ' %{http_version}' "$tls/")" = "Hello World! 2"
check "TLS, curl --http1.1: HTTP/1.1" \
  test "$(c -k --http1.1 -w ' %{http_version}' "$tls/")" = "Hello World! 1.1"
check "plain, curl --http2-prior-knowledge: HTTP/2 (h2c)" \
  test "$(c --http2-prior-knowledge -w ' %{http_version}' "$plain/")" = "Hello World! 2"
check "plain, curl: HTTP/1.1" test "$(c -w ' %{http_version}' "$plain/")" = "Hello World! 1.1"
check "TLS, h2: GET /large is 1 MiB" test "$(c -k --http2 "$tls/large" | wc -c)" = 1048576
check "h2c: GET /large is 1 MiB" test "$(c --http2-prior-knowledge "$plain/large" | wc -c)" = 1048576

# --- nghttp: the frames -------------------------------------------------------
timeout 30 nghttp -nv "$tls/" >"$work/nghttp" 2>&1
for frame in SETTINGS HEADERS DATA; do
  check "nghttp: the server sends $frame" grep -q "recv $frame frame" "$work/nghttp"
done
check "nghttp: :status 200" grep -q 'recv (stream_id=[0-9]*) :status: 200' "$work/nghttp"
timeout 30 nghttp -nv "$plain/" >"$work/nghttp-h2c" 2>&1
check "nghttp h2c (prior knowledge): :status 200" grep -q ':status: 200' "$work/nghttp-h2c"

# --- h2load: many streams on few connections ----------------------------------
timeout 120 h2load -n 10000 -c 10 -m 10 "$tls/" >"$work/h2load" 2>&1
check "h2load over TLS: 10000 succeeded, 0 errored" \
  grep -q '^requests: 10000 total, 10000 started, 10000 done, 10000 succeeded, 0 failed, 0 errored, 0 timeout' "$work/h2load"
check "h2load over TLS: negotiated h2" grep -q '^Application protocol: h2' "$work/h2load"
timeout 120 h2load -n 10000 -c 10 -m 10 "$plain/" >"$work/h2load-h2c" 2>&1
check "h2load h2c: 10000 succeeded, 0 errored" grep -q ' 10000 succeeded, 0 failed, 0 errored' "$work/h2load-h2c"

# --- openssl s_client: version, ALPN, SNI -------------------------------------
# s_client FLAGS...: a handshake, then GET / HTTP/1.1 (harmless over h2: cut).
s_client() {
  printf 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$tls_port" -ign_eof "$@" 2>&1
}
s_client -alpn h2 >"$work/s-h2"
check "s_client -alpn h2: TLSv1.3" grep -q '^ *Protocol *: TLSv1.3\|New, TLSv1.3' "$work/s-h2"
check "s_client -alpn h2: ALPN h2" grep -q '^ALPN protocol: h2' "$work/s-h2"
s_client -alpn http/1.1 >"$work/s-h1"
check "s_client offering only http/1.1: ALPN http/1.1" grep -q '^ALPN protocol: http/1.1' "$work/s-h1"
check "s_client offering only http/1.1: an HTTP/1.1 200" grep -q '^HTTP/1.1 200' "$work/s-h1"
s_client >"$work/s-none"
check "s_client without ALPN: HTTP/1.1 200" grep -q '^HTTP/1.1 200' "$work/s-none"
s_client -servername second.test >"$work/s-sni"
check "SNI second.test picks the second certificate" grep -q 'subject=CN *= *second.test' "$work/s-sni"
s_client -servername localhost >"$work/s-localhost"
check "SNI localhost picks the first" grep -q 'subject=CN *= *localhost' "$work/s-localhost"
# Resumption: -sess_out, then -sess_in; -no_ticket resumes from the session-ID cache.
for mode in "-tls1_3" "-tls1_2" "-tls1_2 -no_ticket"; do
  session=$work/session${mode// /}
  s_client $mode -sess_out "$session" >"$work/s-first"
  s_client $mode -sess_in "$session" >"$work/s-again"
  check "s_client $mode: a new session, then resumed" \
    eval 'grep -q "^New, TLSv1" "$work/s-first" && grep -q "^Reused, TLSv1" "$work/s-again"'
done
c -k -v --resolve "second.test:$tls_port:127.0.0.1" "https://second.test:$tls_port/" >/dev/null 2>"$work/curl-sni"
check "curl --resolve second.test: its certificate" grep -q 'subject: CN=second.test' "$work/curl-sni"

# --- a client leaving mid-handshake -------------------------------------------
# A TLS record header announcing a 512-byte ClientHello, a few bytes of it, then close.
timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$tls_port; printf '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' >&3; exec 3>&-" 2>/dev/null
check "after a half ClientHello: the next client is served" \
  test "$(c -k --http2 -w ' %{http_version}' "$tls/")" = "Hello World! 2"
check "the cut handshake is logged" grep -q 'paf-server: 127.0.0.1:[0-9]*: TLS' "$work/err"
check "plain HTTP on the TLS port: no answer" \
  test "$(c -o /dev/null -w '%{http_code}' "http://127.0.0.1:$tls_port/" 2>/dev/null)" = 000
check "and the next client is served" test "$(c -k "$tls/")" = "Hello World!"

# --- a 10 MiB echo over h2 ----------------------------------------------------
head -c $((10 * 1024 * 1024)) /dev/urandom >"$work/upload"
want=$(sha256sum <"$work/upload" | cut -d' ' -f1)
got=$(c -k --http2 --data-binary @"$work/upload" "$tls/echo" | sha256sum | cut -d' ' -f1)
check "10 MiB echoed over h2 (TLS)" test "$want" = "$got"
got=$(c --http2-prior-knowledge --data-binary @"$work/upload" "$plain/echo" | sha256sum | cut -d' ' -f1)
check "10 MiB echoed over h2c" test "$want" = "$got"

# --- slowloris: --header-timeout 1 --------------------------------------------
# hold PORT BYTES OUT: sends BYTES, never finishes, records what comes back and
# how long until the server closed (10 s at most).
hold() {
  timeout 10 bash -c "trap '' PIPE
    start=\$(date +%s%N)
    exec 3<>/dev/tcp/127.0.0.1/$1
    printf '$2' >&3
    cat <&3 >'$3.body'
    echo \$(( (\$(date +%s%N) - start) / 1000000 )) >'$3.ms'" 2>/dev/null &
  holders+=($!)
}
hold "$port" 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a' "$work/slow-h1"
hold "$port" 'PRI * HTTP/2.0\r\n' "$work/slow-h2c"
hold "$port" 'G' "$work/slow-g"
sleep 0.3
check "while slow clients hold connections, another is served" \
  test "$(c -w ' %{http_version}' "$plain/")" = "Hello World! 1.1"
for holder in "${holders[@]}"; do wait "$holder"; done
holders=()
within() { [ -s "$1.ms" ] && [ "$(cat "$1.ms")" -ge 800 ] && [ "$(cat "$1.ms")" -le 2500 ]; }
check "slowloris (partial head): cut off in 1-2 s ($(cat "$work/slow-h1.ms" 2>/dev/null) ms)" within "$work/slow-h1"
check "slowloris (partial head): 408" grep -q '^HTTP/1.1 408' "$work/slow-h1.body"
check "slowloris (partial h2c preface): cut off in 1-2 s ($(cat "$work/slow-h2c.ms" 2>/dev/null) ms)" within "$work/slow-h2c"
check "slowloris (one byte): cut off in 1-2 s ($(cat "$work/slow-g.ms" 2>/dev/null) ms)" within "$work/slow-g"

stop_paf_server; status=$?
check "SIGTERM: exit 0" test "$status" = 0

[ "$failures" = 0 ] || { echo "--- server log"; tail -50 "$work/err"; exit 1; }
echo "check-paf-server-https: all passed"
