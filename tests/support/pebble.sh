# Sourced by the scripts that need an ACME CA: pebble and pebble-challtestsrv
# from Debian on 127.0.0.1 (10.0.2.2 from a QEMU guest on user networking).
# pebble's own HTTPS has a certificate from a CA made here (Debian's pebble
# ships none): $work/ca.pem is what a client trusts for the directory.
# challtestsrv is pebble's DNS, answering 127.0.0.1 for every name, so that
# validation comes to this host's http_port (HTTP-01) and tls_port
# (TLS-ALPN-01); PEBBLE_VA_NOSLEEP=1. The caller sets `work` (a temporary
# folder), defines die MESSAGE, and calls pebble_cleanup on exit; both are
# stopped by their PIDs, every wait is bounded.
dns_pid= pebble_pid=

pebble_cleanup() {
  local p
  for p in $pebble_pid $dns_pid; do
    { kill -KILL "$p" && wait "$p"; } 2>/dev/null || true  # wait says 137: not an error under set -e
  done
  pebble_pid= dns_pid=
}

# wait_accepting PID PORT: accepting on 127.0.0.1:PORT within 20 s, while
# process PID lives.
wait_accepting() {
  local pid=$1 port=$2 i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# pebble_up: starts both. Sets acme_port (the directory is
# https://127.0.0.1:$acme_port/dir), management_port (/roots/0 is the root
# that signs the certificates), http_port and tls_port (where pebble
# validates), all free ports on 127.0.0.1.
pebble_up() {
  [[ -x /usr/bin/pebble && -x /usr/bin/pebble-challtestsrv ]] ||
    die "pebble is missing (tools/install-build-deps installs it)"
  local dns_port dns_management
  read -r dns_port dns_management acme_port management_port http_port tls_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(6)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=paf-acme-test-ca -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=10.0.2.2 \
      -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null &&
    openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
      -CAcreateserial -days 1 -out "$work/cert.pem" \
      -extfile <(echo "subjectAltName=IP:10.0.2.2,IP:127.0.0.1") 2>/dev/null ||
    die "openssl cannot make pebble's certificate"
  /usr/bin/pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" \
    -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" -tlsalpn01 "" \
    -management "127.0.0.1:$dns_management" >"$work/challtestsrv.log" 2>&1 &
  dns_pid=$!
  wait_accepting "$dns_pid" "$dns_management" || die "pebble-challtestsrv did not start"
  cat >"$work/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme_port",
            "managementListenAddress": "127.0.0.1:$management_port",
            "certificate": "$work/cert.pem", "privateKey": "$work/key.pem",
            "httpPort": $http_port, "tlsPort": $tls_port,
            "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
  PEBBLE_VA_NOSLEEP=1 /usr/bin/pebble -config "$work/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
    >"$work/pebble.log" 2>&1 &
  pebble_pid=$!
  wait_accepting "$pebble_pid" "$acme_port" && wait_accepting "$pebble_pid" "$management_port" ||
    die "pebble did not start"
}
