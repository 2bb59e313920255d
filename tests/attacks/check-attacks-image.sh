#!/usr/bin/env bash
# check-attacks-image.sh RUNNER IMAGE ATTACK: one attack of attacks.py against
# hello.elf under QEMU, beside the well-behaved client, as check-attacks.sh
# runs it against paf-server. The image serves on a TAP interface in a network
# namespace of its own (QEMU's user network takes one connection at a time),
# with a 2-second head and body timeout, and reports its heap every second on
# the console, where attacks.py reads the memory the attack cost (the heap's
# high-water mark). Afterwards the image must still answer GET /; then it is
# stopped. Skips (77) on a host without TAP or network namespaces.
set -u
runner=${1:?usage: check-attacks-image.sh RUNNER IMAGE ATTACK} image=${2:?} attack=${3:?}
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

tap_namespace_up 10.82.0 fd00:82
address=10.82.0.2
# The attack, then GET / (the image serves on) and its heap once more.
client="ulimit -n 8192; '$here/attacks.py' $address 80 443 \"log:\$SERIAL_LOG\" $attack &&
  curl -sS --max-time 20 http://$address/ | grep -qx 'Hello World!' && echo 'GET / after the attack: ok'"
# 256 MiB: slowloris holds 1,000 connections at once.
ip netns exec "$ns" "$runner" --net modern --tap "$tap" --timeout 150 --memory 256 \
  --append "ip=$address/24 gw=10.82.0.1 access-log=off header-timeout=2 body-timeout=2 heap-report=1" \
  --client-when "^hello: listening on https://${address//./\\.}:443/" \
  --client "$client" --stop-after-client "$image"
