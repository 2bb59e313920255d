#!/usr/bin/env bash
# paf's lwIP Stack on platform/posix over a TAP interface, against real peers
# in a network namespace of its own: dnsmasq gives the lease (DHCP), answers
# the name (DNS) and advertises the prefix (router advertisements: SLAAC);
# curl fetches pages over IPv4 and IPv6 from the namespace's side.
#
#   check-tap.sh app NET_TAP_APP       the platform contract's TAP devices:
#                                      a paf_app_main program (tap_app.cpp)
#   check-tap.sh paf-server PAF_SERVER paf-server --net tap:IFACE (a TAP
#                                      NetDevice on the epoll loop)
#
# Skips (status 77) only when the host has no TAP or no network namespaces;
# any other trouble fails. Every wait is bounded; every process is stopped by
# its PID and the namespace deleted on exit.
set -u
mode=$1 program=$2
work=$(mktemp -d)
app_pid= failures=0
. "$(dirname "$0")/../support/tap-namespace.sh"

cleanup() {
  [ -n "$app_pid" ] && kill -KILL "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  tap_namespace_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

skip() { echo "SKIP: $*"; exit 77; }
die() {
  echo "FAIL: $*"
  for log in dnsmasq.log app.out app.err; do [ -s "$work/$log" ] && { echo "--- $log"; cat "$work/$log"; }; done
  exit 1
}
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; failures=$((failures + 1)); fi
}

command -v curl >/dev/null || die "curl is missing (tools/install-build-deps installs it)"
# The host's side: the TAP interface with a router's addresses; dnsmasq gives
# leases in 10.77.0.50-99, answers paf.test with 10.77.0.7 and advertises
# fd00:77::/64.
tap_namespace_up 10.77.0 fd00:77
start_dnsmasq 10.77.0 paf.test=10.77.0.7

# Waits up to 15 s for the application to exit; sets `status` (124: it did not).
wait_exit() {
  status=124
  for _ in $(seq 150); do
    if ! kill -0 "$app_pid" 2>/dev/null; then wait "$app_pid"; status=$?; break; fi
    sleep 0.1
  done
  [ "$status" = 124 ] || app_pid=
}
http_get() {  # http_get URL EXPECTED [CURL OPTIONS...]
  local url=$1 expected=$2; shift 2
  [ "$(in_ns curl -sS --max-time 20 "$@" "$url")" = "$expected" ]
}
large_size() { in_ns curl -sS --max-time 20 "$@" | wc -c; }
check_lease() {  # check_lease IPV4 MAC
  check "DHCP lease from dnsmasq's range ($1)" bash -c "[[ '$1' =~ ^10\.77\.0\.([5-9][0-9])$ ]]"
  check "dnsmasq acknowledged the lease" grep -q "DHCPACK($tap) $1 $2" "$work/dnsmasq.log"
}

# The platform contract's devices: DHCP, SLAAC and a name, then 3 requests
# served, what was written delivered, exit 0.
check_app() {
  ip netns exec "$ns" "$program" --net:service0="$tap" resolve=paf.test requests=3 >"$work/app.out" 2>&1 &
  app_pid=$!
  wait_for 60 "$work/app.out" "tap: listening on port 80|FAILED" "$app_pid" || die "the application did not come up"
  grep -q "FAILED" "$work/app.out" && die "the application failed"
  cat "$work/app.out"
  local ipv4 ipv6 mac
  ipv4=$(sed -n 's/^tap: ipv4 \([0-9.]*\) by dhcp.*/\1/p' "$work/app.out")
  ipv6=$(sed -n 's/^tap: ipv6 \([0-9a-f:]*\) by slaac.*/\1/p' "$work/app.out")
  mac=$(sed -n 's/.*is TAP interface .*, mac \([0-9a-f:]*\).*/\1/p' "$work/app.out")
  check_lease "$ipv4" "$mac"
  check "SLAAC address in the advertised prefix ($ipv6)" bash -c "[[ '$ipv6' == fd00:77::* ]]"
  check "DNS answer from dnsmasq" grep -q "^tap: resolved paf.test to 10.77.0.7$" "$work/app.out"
  check "dnsmasq answered the query" grep -q "query\[A\] paf.test from $ipv4" "$work/dnsmasq.log"
  [ -n "$ipv4" ] || die "no IPv4 address"
  [ -n "$ipv6" ] || die "no IPv6 address"
  check "HTTP over IPv4" http_get "http://$ipv4/" "Hello World!"
  check "HTTP over IPv6" http_get "http://[$ipv6]/" "Hello World!" -g
  check "1 MiB over IPv4" [ "$(large_size "http://$ipv4/large")" = 1048576 ]
  wait_exit
  check "the application exited 0 after its requests (status $status)" [ "$status" = 0 ]
  check "everything it wrote was delivered" grep -q "^tap: served 3 requests, all sent$" "$work/app.out"
}

# paf-server over lwIP: HTTP/1.1 and h2c over IPv4 and IPv6, then SIGTERM.
check_paf_server() {
  ip netns exec "$ns" "$program" --net tap:"$tap" --http 8080 >"$work/app.out" 2>"$work/app.err" &
  app_pid=$!
  wait_for 60 "$work/app.out" "IPv6 address" "$app_pid" || die "paf-server did not come up"
  cat "$work/app.out"
  local ipv4 ipv6
  ipv4=$(sed -n 's|^paf-server: listening on http://\([0-9.]*\):8080 (lwIP on .*|\1|p' "$work/app.out")
  ipv6=$(sed -n 's/^paf-server: IPv6 address \([0-9a-f:]*\) (SLAAC)$/\1/p' "$work/app.out")
  check_lease "$ipv4" ""
  check "SLAAC address in the advertised prefix ($ipv6)" bash -c "[[ '$ipv6' == fd00:77::* ]]"
  [ -n "$ipv4" ] || die "no IPv4 address"
  [ -n "$ipv6" ] || die "no IPv6 address"
  check "HTTP/1.1 over IPv4" http_get "http://$ipv4:8080/" "Hello World!" --http1.1
  check "h2c over IPv6" http_get "http://[$ipv6]:8080/" "Hello World!" -g --http2-prior-knowledge
  check "echo over IPv6" http_get "http://[$ipv6]:8080/echo" "$(seq 10000)" -g --data-binary "$(seq 10000)"
  check "1 MiB by h2c over IPv4" [ "$(large_size "http://$ipv4:8080/large" --http2-prior-knowledge)" = 1048576 ]
  kill -TERM "$app_pid"
  wait_exit
  check "paf-server exited 0 on SIGTERM (status $status)" [ "$status" = 0 ]
}

case $mode in
  app) check_app ;;
  paf-server) check_paf_server ;;
  *) die "unknown mode $mode" ;;
esac
if [ "$failures" -gt 0 ]; then die "$failures check(s) failed"; fi
echo "PASS"
