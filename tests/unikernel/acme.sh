#!/usr/bin/env bash
# acme.sh RUNNER IMAGE: boots acme.elf (unikernel/acme) under QEMU (TCG, user
# networking) against pebble, Let's Encrypt's test CA from Debian, on the
# host's 127.0.0.1 — 10.0.2.2 from the guest. pebble's own HTTPS has a
# certificate from a CA made here (Debian's pebble ships none), given to the
# image through fw_cfg (opt/paf/acme-ca.pem); pebble-challtestsrv is pebble's
# DNS, answering 127.0.0.1 for every name, and pebble's httpPort is a host
# port forwarded to the guest's port 80, so HTTP-01 validation reaches the
# image. Once the image says it serves HTTPS with the issued certificate,
# curl — trusting only pebble's root (its management interface's /roots/0) —
# gets "Hello World!" from it for each name, over h2 and over http/1.1,
# through a host port forwarded to the guest's 443. The serial log must say
# how long the certificate took, and that the image stopped after those two
# requests. Every process started here is stopped by its PID; every wait is
# bounded.
set -u

if [[ ${1:-} == --client ]]; then
  # The curl side, run by run-qemu-test.sh with HOST_PORT (the guest's 443).
  port=${2:?}
  curl -sS --max-time 10 --cacert "$ACME_TEST_WORK/ca.pem" \
    "https://127.0.0.1:$ACME_TEST_MANAGEMENT_PORT/roots/0" -o "$ACME_TEST_WORK/root.pem" ||
    { echo "FAIL: no root from pebble's management interface"; exit 1; }
  status=0
  for pair in one.example.com:--http2:2 two.example.com:--http1.1:1.1; do
    IFS=: read -r name version shown <<<"$pair"
    got=$(curl -sS --max-time 30 "$version" -w ' %{http_version}' --cacert "$ACME_TEST_WORK/root.pem" \
      --resolve "$name:$port:127.0.0.1" "https://$name:$port/" 2>&1)
    if [[ $got == "Hello World! $shown" ]]; then
      echo "ok: $name $version: $got"
    else
      echo "FAIL: $name $version: $got"
      status=1
    fi
  done
  exit $status
fi

runner=${1:?usage: acme.sh RUNNER IMAGE} image=${2:?usage: acme.sh RUNNER IMAGE}
work=$(mktemp -d)
dns_pid= pebble_pid=
cleanup() {
  local p
  for p in $pebble_pid $dns_pid; do
    { kill -KILL "$p" && wait "$p"; } 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
die() {
  echo "FAIL: $*"
  for log in "$work"/*.log; do [[ -s $log ]] && { echo "--- $log"; cat "$log"; }; done
  exit 1
}
[[ -x /usr/bin/pebble && -x /usr/bin/pebble-challtestsrv ]] ||
  die "pebble is missing (tools/install-build-deps installs it)"

# Free ports on 127.0.0.1, all different (one socket each, held together).
read -r dns_port dns_management acme_port management_port http_port tls_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(6)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')

# Accepting on 127.0.0.1:PORT within 20 s, while process PID lives.
wait_accepting() {
  local pid=$1 port=$2 i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# pebble's HTTPS: a CA, and a certificate it signs for the host as the guest
# (10.0.2.2) and as curl here (127.0.0.1) see it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=paf-acme-image-test-ca -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null &&
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

cat >"$work/pebble.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:$acme_port",
            "managementListenAddress": "127.0.0.1:$management_port",
            "certificate": "$work/cert.pem", "privateKey": "$work/key.pem",
            "httpPort": $http_port, "tlsPort": $tls_port,
            "ocspResponderURL": "", "externalAccountBindingRequired": false}}
EOF
PEBBLE_VA_NOSLEEP=1 /usr/bin/pebble -config "$work/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
  >"$work/pebble.log" 2>&1 &
pebble_pid=$!
wait_accepting "$pebble_pid" "$acme_port" && wait_accepting "$pebble_pid" "$management_port" ||
  die "pebble did not start"

export ACME_TEST_WORK=$work ACME_TEST_MANAGEMENT_PORT=$management_port
"$runner" --net modern --forward 443 --hostfwd "$http_port:80" --timeout 300 \
  --fw-cfg "opt/paf/acme-ca.pem=$work/ca.pem" \
  --append "acme=https://10.0.2.2:$acme_port/dir domain=one.example.com domain=two.example.com email=admin@example.com requests=2" \
  --client-when "^acme: listening on https://" \
  --client "'$0' --client \"\$HOST_PORT\"" \
  --expect "^acme: provisioning a certificate for one\.example\.com, two\.example\.com from https://10\.0\.2\.2:$acme_port/dir$" \
  --expect "^acme: certificate for one\.example\.com, two\.example\.com in [0-9]+ ms " \
  --expect "^acme: listening on https://10\.0\.2\.15:443/ \(h2, http/1\.1; the issued certificate, " \
  --expect-count "2:^GET / 200 12$" \
  --expect "^acme: stopped after 2 requests$" "$image" || die "the image did not provision and serve"
