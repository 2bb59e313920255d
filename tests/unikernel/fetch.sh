#!/usr/bin/env bash
# fetch.sh CASE RUNNER IMAGE PAF_SERVER [FETCH_POSIX [PAF_CLIENT PAF_STRESS]]: boots the client image fetch.elf
# (unikernel/fetch) under QEMU (tests/virtio/run-qemu-test.sh: TCG, user
# networking) against servers this script starts on the host's 127.0.0.1,
# which the guest reaches as 10.0.2.2. Each URL's console line must give the
# status, the protocol and the size and sha256 of the bytes the server serves
# (sha256sum of what curl gets from it on the host, or of nginx's file).
#   http          paf-server over HTTP/1.1: three URLs on one connection
#   h2c           the same with --h2c: HTTP/2 by prior knowledge
#   https_h2      paf-server over TLS, verified against a CA made here and
#                 given through fw_cfg (opt/paf/ca-bundle.pem): ALPN h2
#   https_http1   the same with --http1.1: ALPN http/1.1
#   nginx         nginx: a 1 MiB file twice over HTTP/1.1 and once over
#                 HTTP/2 and TLS; nginx's own log says each origin used one
#                 connection
#   refused       a refused port: status 1 and one FAILED line, and the next
#                 URL is still fetched
#   fail_status   a 404 is an answer (status 0), but with --fail a failure
#   timeout       a server that accepts and never answers: with timeout=2,
#                 status 1 and a FAILED line saying it took too long
#   usage         an unknown flag, a word neither URL nor setting, a bad
#                 timeout=: status 2 and a line saying which, before any network
#   untrusted     https with a CA bundle that did not sign the server's
#                 certificate: a TLS failure; without a bundle, a clear line
#   tap_dns       on a TAP interface in a network namespace (QEMU's -netdev
#                 tap) where dnsmasq gives the lease and resolves paf.test to
#                 paf-server's address: http and https by that name, the
#                 certificate verified for it (skips, 77, without TAP or
#                 namespaces); then FETCH_POSIX, the same program on
#                 platform/posix, over that TAP interface, must print the same;
#                 then PAF_CLIENT --net tap:IFACE (paf's lwIP on that TAP
#                 interface, paf.test resolved by dnsmasq) must fetch the
#                 same bodies over the same protocols, and PAF_STRESS --net
#                 100 requests (-c 4 -n 25) with no error
# Every process started here is stopped by its PID; every wait is bounded.
set -u
case_name=${1:?usage: fetch.sh CASE RUNNER IMAGE PAF_SERVER}
runner=${2:?} image=${3:?} server=${4:?} fetch_posix=${5:-} paf_client=${6:-} paf_stress=${7:-}
. "$(dirname "$0")/../support/paf-server-harness.sh"
. "$(dirname "$0")/../support/tap-namespace.sh"
nginx_pid= silent_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill -KILL "$nginx_pid" 2>/dev/null
  [ -n "$silent_pid" ] && kill -KILL "$silent_pid" 2>/dev/null
  # paf-server runs in the namespace in tap_dns: stopped before it goes.
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  pid=
  tap_namespace_cleanup
  harness_cleanup
}
trap cleanup EXIT
die() { echo "FAIL: $*"; [ -s "$work/dnsmasq.log" ] && cat "$work/dnsmasq.log"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# A CA, and a certificate it signs for 10.0.2.2 (the host as the guest sees
# it), 127.0.0.1 (the host as curl here sees it) and paf.test (tap_dns).
make_ca() {  # make_ca NAME: $work/NAME-ca.pem, $work/NAME-ca.key
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=paf fetch test CA $1" -keyout "$work/$1-ca.key" -out "$work/$1-ca.pem" 2>/dev/null
}
make_ca test && make_ca other || { echo "FAIL: openssl cannot make a CA"; exit 1; }
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=10.0.2.2 \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null &&
  openssl x509 -req -in "$work/server.csr" -CA "$work/test-ca.pem" -CAkey "$work/test-ca.key" \
    -CAcreateserial -days 1 -out "$work/server.pem" -extfile <(printf '%s\n' \
      "subjectAltName=IP:10.0.2.2,IP:127.0.0.1,DNS:paf.test" "basicConstraints=critical,CA:FALSE" \
      "extendedKeyUsage=serverAuth") 2>/dev/null ||
  { echo "FAIL: openssl cannot make the server's certificate"; exit 1; }

# The text as an extended regular expression matching itself.
ere_quote() { sed 's/[][\.*^$?+(){}|]/\\&/g' <<<"$1"; }

runner_args=()
urls=()
url_lines=()  # the regular expressions of the lines fetched() expects
in_test_net=()  # what runs curl and the runner: nothing, or `ip netns exec NS`
served_files=0
served_list=()  # the files served() made, in order
# fetched GUEST_URL VERSION STATUS FILE [TIMES]: GUEST_URL goes TIMES (1) on
# the image's command line, which must print as many lines for it with the
# size and sha256 of FILE (what the server serves).
fetched() {
  local url=$1 version=$2 status=$3 file=$4 times=${5:-1} size sum
  size=$(stat -c %s "$file") sum=$(sha256sum <"$file") sum=${sum%% *}
  echo "expect $times time(s): $url: $status $version, $size bytes, sha256 $sum"
  for _ in $(seq "$times"); do urls+=("$url"); done
  url_lines+=("^fetch: $(ere_quote "$url"): $status $(ere_quote "$version"), $size bytes, sha256 $sum$")
  runner_args+=(--expect-count "$times:${url_lines[-1]}")
}
# served HOST_URL CURL-ARGS...: what curl gets from HOST_URL on the host, in
# the file $served.
served() {
  served=$work/served-$((++served_files))
  "${in_test_net[@]}" curl --silent --show-error --max-time 30 -o "$served" "$@" ||
    { echo "FAIL: curl $* on the host"; exit 1; }
  served_list+=("$served")
}
# boot [--status N] RUNNER-ARGS...: boots the image with urls[] (and the
# words of `flags`) on its command line; the runner's checks decide.
boot() {
  "${in_test_net[@]}" "$runner" --net modern --timeout 150 --append "${flags:-} ${urls[*]}" "${runner_args[@]}" "$@" "$image"
}

# nginx on 127.0.0.1 (HTTP and HTTPS with h2), unprivileged, from a config in
# $work: its pid, logs and temporary files there; $connection in its access log.
start_nginx() {
  local attempt
  [ -x /usr/sbin/nginx ] || { echo "FAIL: no /usr/sbin/nginx (tools/install-build-deps installs nginx-light)"; exit 1; }
  mkdir -p "$work/www" "$work/temp"
  head -c 1048576 /dev/urandom >"$work/www/blob"
  # Run as root, nginx's workers become nobody: they must read the files.
  chmod 755 "$work" "$work/www" "$work/temp"
  chmod 644 "$work/www/blob" "$work/server.pem" "$work/server.key"
  for attempt in 1 2 3 4 5; do
    read -r nginx_port nginx_tls_port < <(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
    cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log info;
events { worker_connections 64; }
http {
  log_format conn '\$connection \$server_protocol \$request_uri \$status';
  access_log $work/access.log conn;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
  server { listen 127.0.0.1:$nginx_tls_port ssl http2; root $work/www;
    ssl_certificate $work/server.pem; ssl_certificate_key $work/server.key; }
}
EOF
    /usr/sbin/nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 50); do
      curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$nginx_port/blob" &&
        curl -s -o /dev/null --max-time 2 --cacert "$work/test-ca.pem" "https://127.0.0.1:$nginx_tls_port/blob" &&
        return 0
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; nginx_pid=
  done
  echo "FAIL: nginx did not start"; cat "$work/error.log" "$work/nginx.out" 2>/dev/null
  exit 1
}
stop_nginx() {
  kill -TERM "$nginx_pid"
  for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; nginx_pid=
}

status=0
case $case_name in
  http | h2c)
    start_paf_server "$server" --http @PORT@ --access-log off
    version=HTTP/1.1 flags=
    [ "$case_name" = h2c ] && version=HTTP/2 flags=--h2c
    for path in / /large "/random?len=100000&seed=7"; do
      served "http://127.0.0.1:$port$path"
      fetched "http://10.0.2.2:$port$path" "$version" 200 "$served"
    done
    boot --expect-count "1:^fetch: connection [0-9]+ to 10\.0\.2\.2 " \
      --expect "^fetch: 3 of 3 URLs fetched, 0 failed, over 1 connections$" || status=1
    ;;
  https_h2 | https_http1)
    start_paf_server "$server" --http @PORT@ --https @PORT2@ --cert "$work/server.pem" \
      --key "$work/server.key" --access-log off
    version=HTTP/2 alpn=h2 flags=
    [ "$case_name" = https_http1 ] && version=HTTP/1.1 alpn=http/1.1 flags=--http1.1
    for path in / /large "/random?len=100000&seed=7"; do
      served "https://127.0.0.1:$port2$path" --cacert "$work/test-ca.pem"
      fetched "https://10.0.2.2:$port2$path" "$version" 200 "$served"
    done
    boot --fw-cfg "opt/paf/ca-bundle.pem=$work/test-ca.pem" \
      --expect "^fetch: trusting the CA bundle opt/paf/ca-bundle\.pem " \
      --expect-count "1:^fetch: connection [0-9]+ to 10\.0\.2\.2 .* over tls\+tcp: $(ere_quote "$version"), TLS 1\.[23], ALPN $(ere_quote "$alpn")$" \
      --expect "^fetch: 3 of 3 URLs fetched, 0 failed, over 1 connections$" || status=1
    ;;
  nginx)
    start_nginx
    fetched "http://10.0.2.2:$nginx_port/blob" HTTP/1.1 200 "$work/www/blob" 2
    fetched "https://10.0.2.2:$nginx_tls_port/blob" HTTP/2 200 "$work/www/blob"
    log_before=$(wc -l <"$work/access.log")
    boot --fw-cfg "opt/paf/ca-bundle.pem=$work/test-ca.pem" \
      --expect "^fetch: 3 of 3 URLs fetched, 0 failed, over 2 connections$" || status=1
    sleep 0.5  # nginx logs a request once it has answered it
    tail -n +$((log_before + 1)) "$work/access.log" >"$work/image.log"
    echo "--- nginx's access log of the image's requests (connection protocol uri status) ---"
    cat "$work/image.log"
    check "nginx served three requests of /blob" test "$(grep -c ' /blob 200$' "$work/image.log")" = 3
    check "the two HTTP/1.1 requests came on one connection" \
      test "$(grep ' HTTP/1.1 ' "$work/image.log" | cut -d' ' -f1 | sort -u | wc -l)-$(grep -c ' HTTP/1.1 ' "$work/image.log")" = 1-2
    check "the HTTPS request came over HTTP/2" test "$(grep -c ' HTTP/2.0 /blob 200$' "$work/image.log")" = 1
    stop_nginx
    ;;
  refused)
    start_paf_server "$server" --http @PORT@ --access-log off
    refused_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    urls+=("http://10.0.2.2:$refused_port/")
    served "http://127.0.0.1:$port/"
    fetched "http://10.0.2.2:$port/" HTTP/1.1 200 "$served"
    boot --status 1 \
      --expect-count "1:^fetch: http://10\.0\.2\.2:$refused_port/: FAILED: no connection: .*connection refused$" \
      --expect-count "1:FAILED" \
      --expect "^fetch: 1 of 2 URLs fetched, 1 failed, " || status=1
    ;;
  fail_status)
    start_paf_server "$server" --http @PORT@ --access-log off
    served "http://127.0.0.1:$port/missing"
    fetched "http://10.0.2.2:$port/missing" HTTP/1.1 404 "$served"
    boot --expect "^fetch: 1 of 1 URLs fetched, 0 failed, " --expect-count "0:FAILED" || status=1
    flags=--fail
    boot --status 1 --expect-count "1:^fetch: http://10\.0\.2\.2:$port/missing: FAILED: the server answered 404: " \
      --expect "^fetch: 0 of 1 URLs fetched, 1 failed, " || status=1
    ;;
  timeout)
    python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); time.sleep(60)' >"$work/silent.port" &
    silent_pid=$!
    for _ in $(seq 50); do [ -s "$work/silent.port" ] && break; sleep 0.1; done
    silent_port=$(cat "$work/silent.port")
    urls=("http://10.0.2.2:$silent_port/")
    flags=timeout=2
    boot --status 1 --min-seconds 2 \
      --expect-count "1:^fetch: http://10\.0\.2\.2:$silent_port/: FAILED: no response: the request took too long$" \
      --expect "^fetch: 0 of 1 URLs fetched, 1 failed, " || status=1
    kill -KILL "$silent_pid" 2>/dev/null; wait "$silent_pid" 2>/dev/null; silent_pid=
    ;;
  usage)
    urls=("http://10.0.2.2:1/")
    flags=--no-such-flag
    boot --status 2 --expect-count "1:^fetch: unknown option --no-such-flag " --expect-count "0:^fetch: address" || status=1
    flags=10.0.2.2/
    boot --status 2 --expect-count "1:^fetch: 10\.0\.2\.2/: neither a URL " || status=1
    flags=timeout=soon
    boot --status 2 --expect-count "1:^fetch: timeout=soon: want a number of seconds" || status=1
    ;;
  untrusted)
    start_paf_server "$server" --http @PORT@ --https @PORT2@ --cert "$work/server.pem" \
      --key "$work/server.key" --access-log off
    urls=("https://10.0.2.2:$port2/")
    boot --status 1 --fw-cfg "opt/paf/ca-bundle.pem=$work/other-ca.pem" \
      --expect-count "1:^fetch: https://10\.0\.2\.2:$port2/: FAILED: no connection: TLS: .*trusted" \
      --expect "^fetch: 0 of 1 URLs fetched, 1 failed, " || status=1
    boot --status 1 \
      --expect "^fetch: no CA bundle in the configuration \(opt/paf/ca-bundle\.pem; " \
      --expect-count "1:^fetch: https://10\.0\.2\.2:$port2/: FAILED: https: no CA bundle " || status=1
    ;;
  tap_dns)
    tap_namespace_up 10.78.0 fd00:78
    start_dnsmasq 10.78.0 paf.test=10.78.0.1
    # paf-server on the router's address, in the namespace (whose ports are
    # all free): started as start_paf_server does, by its own PID.
    ip netns exec "$ns" "$server" --host 10.78.0.1 --http 80 --https 443 --cert "$work/server.pem" \
      --key "$work/server.key" --access-log off >"$work/out" 2>"$work/err" &
    pid=$!
    wait_for 10 "$work/out" "listening on https://10\.78\.0\.1:443" "$pid" ||
      die "paf-server did not start: $(cat "$work/err")"
    in_test_net=(ip netns exec "$ns")
    resolve=(--resolve paf.test:80:10.78.0.1 --resolve paf.test:443:10.78.0.1)
    served "http://paf.test/" "${resolve[@]}"
    fetched "http://paf.test/" HTTP/1.1 200 "$served"
    for path in /large "/random?len=100000&seed=7"; do
      served "https://paf.test$path" "${resolve[@]}" --cacert "$work/test-ca.pem"
      fetched "https://paf.test$path" HTTP/2 200 "$served"
    done
    boot --tap "$tap" --fw-cfg "opt/paf/ca-bundle.pem=$work/test-ca.pem" \
      --expect "^fetch: address 10\.78\.0\.[5-9][0-9] \(by DHCP\)" \
      --expect-count "1:^fetch: connection [0-9]+ to paf\.test \(10\.78\.0\.1:80\) over tcp: HTTP/1\.1$" \
      --expect-count "1:^fetch: connection [0-9]+ to paf\.test \(10\.78\.0\.1:443\) over tls\+tcp: HTTP/2, TLS 1\.3, ALPN h2$" \
      --expect "^fetch: 3 of 3 URLs fetched, 0 failed, over 2 connections$" || status=1
    check "dnsmasq leased the image its address" grep -q "DHCPACK($tap) 10\.78\.0\.[5-9][0-9] 52:54:00:12:34:56" "$work/dnsmasq.log"
    check "dnsmasq answered the image's query for paf.test" grep -q "query\[A\] paf\.test from 10\.78\.0\.[5-9][0-9]" "$work/dnsmasq.log"
    if [ -n "$fetch_posix" ]; then
      # Its configuration item opt/paf/ca-bundle.pem is $PAF_CONFIG_DIR's file.
      mkdir -p "$work/config/opt/paf" && cp "$work/test-ca.pem" "$work/config/opt/paf/ca-bundle.pem"
      PAF_CONFIG_DIR=$work/config timeout --signal=KILL 60 ip netns exec "$ns" "$fetch_posix" \
        --net:service0="$tap" "${urls[@]}" >"$work/posix.out" 2>&1
      posix_status=$?
      echo "--- fetch-posix over $tap (status $posix_status) ---"
      cat "$work/posix.out"
      check "fetch-posix exited 0" [ "$posix_status" = 0 ]
      for line in "${url_lines[@]}"; do
        check "fetch-posix: $line" grep -Eq "$line" "$work/posix.out"
      done
      check "fetch-posix: HTTP/2 over TLS 1.3 to paf.test" \
        grep -Eq "^fetch: connection [0-9]+ to paf\.test \(10\.78\.0\.1:443\) over tls\+tcp: HTTP/2, TLS 1\.3, ALPN h2$" "$work/posix.out"
      check "fetch-posix: one connection per origin" grep -q "^fetch: 3 of 3 URLs fetched, 0 failed, over 2 connections$" "$work/posix.out"
    fi
    if [ -n "$paf_client" ]; then
      # paf-client --net: paf's lwIP on the TAP interface (its own DHCP lease
      # and DNS query), each URL's body in a file of its own.
      client_args=()
      for i in "${!urls[@]}"; do client_args+=(-o "$work/client-$i" "${urls[$i]}"); done
      timeout --signal=KILL 90 ip netns exec "$ns" "$paf_client" -v --net "tap:$tap" \
        --cacert "$work/test-ca.pem" "${client_args[@]}" >"$work/client.out" 2>"$work/client.err"
      client_status=$?
      echo "--- paf-client --net tap:$tap (status $client_status) ---"
      cat "$work/client.err"
      check "paf-client --net exited 0" [ "$client_status" = 0 ]
      for i in "${!urls[@]}"; do
        want=$(sha256sum <"${served_list[$i]}") got=$(sha256sum <"$work/client-$i" 2>/dev/null)
        check "paf-client --net: ${urls[$i]}: sha256 ${want%% *}" [ "${got%% *}" = "${want%% *}" ]
      done
      client_address=$(sed -nE "s/^\* lwIP on $tap: address (10\.78\.0\.[5-9][0-9])$/\1/p" "$work/client.err")
      check "paf-client -v: lwIP's address by DHCP ($client_address)" [ -n "$client_address" ]
      check "paf-client: dnsmasq answered its query for paf.test" \
        grep -q "query\[A\] paf\.test from $client_address$" "$work/dnsmasq.log"
      check "paf-client -v: HTTP/1.1 to paf.test:80 over lwIP" grep -qx \
        "\* Connected to paf\.test (10\.78\.0\.1:80) over tcp (lwIP on $tap)" "$work/client.err"
      check "paf-client -v: TLS to paf.test:443 over lwIP" grep -qx \
        "\* Connected to paf\.test (10\.78\.0\.1:443) over tls+tcp (lwIP on $tap)" "$work/client.err"
      check "paf-client -v: ALPN h2 on it, reused for the last URL" \
        test "$(grep -c '^\* ALPN: server accepted h2$' "$work/client.err")-$(grep -c '^\* Re-using an existing connection$' "$work/client.err")" = 1-1
    fi
    if [ -n "$paf_stress" ]; then
      timeout --signal=KILL 120 ip netns exec "$ns" "$paf_stress" --net "tap:$tap" \
        --cacert "$work/test-ca.pem" -c 4 -n 25 --timeout 30 "https://paf.test/random?len=10000&seed=3" \
        >"$work/stress.out" 2>"$work/stress.err"
      stress_status=$?
      echo "--- paf-stress --net tap:$tap (status $stress_status) ---"
      cat "$work/stress.out" "$work/stress.err"
      check "paf-stress --net exited 0" [ "$stress_status" = 0 ]
      check "paf-stress --net: 100 requests, 100 answered" grep -Eq "^  Requests: +100, 100 answered$" "$work/stress.out"
      check "paf-stress --net: 100 answered 200" grep -Eq "^  \[200\] 100$" "$work/stress.out"
      check "paf-stress --net: 4 connections, HTTP/2 over TLS 1.3" grep -Eq "^  HTTP/2 over TLSv1\.3: 4$" "$work/stress.out"
      check "paf-stress --net: no error" test "$(grep -c "^Errors:" "$work/stress.out")" = 0
    fi
    ;;
  *) echo "fetch.sh: unknown case $case_name"; exit 2 ;;
esac
if [ -n "$pid" ]; then
  stop_paf_server || { echo "FAIL: paf-server did not stop cleanly"; status=1; }
fi
[ "$failures" -eq 0 ] || status=1
[ "$status" -eq 0 ] && echo "fetch.sh $case_name: passed"
exit "$status"
