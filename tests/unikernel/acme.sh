#!/usr/bin/env bash
# acme.sh RUNNER IMAGE: boots acme.elf (unikernel/acme) under QEMU (TCG, user
# networking) against pebble, Let's Encrypt's test CA from Debian, on the
# host's 127.0.0.1 — 10.0.2.2 from the guest (tests/support/pebble.sh starts
# it). The CA of pebble's own HTTPS goes to the image through fw_cfg
# (opt/paf/acme-ca.pem), and pebble's httpPort is a host port forwarded to
# the guest's port 80, so HTTP-01 validation reaches the image. Once the image says it serves HTTPS with the issued certificate,
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
die() {
  echo "FAIL: $*"
  for log in "$work"/*.log; do [[ -s $log ]] && { echo "--- $log"; cat "$log"; }; done
  exit 1
}
source "$(dirname "$0")/../support/pebble.sh"
cleanup() {
  pebble_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
pebble_up

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
