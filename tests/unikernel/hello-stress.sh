#!/usr/bin/env bash
# hello-stress.sh RUNNER IMAGE PAF_STRESS: the seed's own run against the
# image (paf-le-chien's `clients.exe -c 50 -n 200`): hello.elf, booted with
# requests=10000, serves PAF_STRESS -c 50 -n 200 GET / (client.sh stress:
# 10,000 answered 200, no error), logs 10,000 lines and stops by itself.
# On a TAP interface in a network namespace of its own, not through QEMU's
# user network: slirp listens for a forwarded port with a backlog of 1, so of
# 50 connections opened at once the host drops the handshakes of most
# (TcpExtListenOverflows) and some never get in before paf-stress gives up on
# them. Skips (77) on a host without TAP or network namespaces.
set -u
runner=${1:?usage: hello-stress.sh RUNNER IMAGE PAF_STRESS} image=${2:?} paf_stress=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
die() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
. "$here/../support/tap-namespace.sh"
cleanup() {
  tap_namespace_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

tap_namespace_up 10.81.0 fd00:81
address=10.81.0.2
# The runner (and so QEMU and the client it starts) in the namespace.
ip netns exec "$ns" "$runner" --net modern --tap "$tap" --timeout 240 \
  --append "ip=$address/24 gw=10.81.0.1 requests=10000" \
  --client-when "^hello: listening on http://${address//./\\.}:80/" \
  --client "'$here/client.sh' stress '$paf_stress' $address:80" \
  --expect "^hello: stopped after 10000 requests$" \
  --expect-count "10000:^GET / 200 12$" "$image"
