#!/usr/bin/env bash
# run-qemu-test.sh [OPTIONS] IMAGE: boots a platform/virtio image under QEMU
# (TCG is enough), with its serial console on stdout, and checks how it ended.
#   --status N|fatal  expected end: paf_app_main returned N (default 0), or a
#                     fatal error (exception, abort)
#   --append CMDLINE  the guest's command line; @HOST_TIME@ becomes the host's
#                     time in seconds since the epoch
#   --expect REGEX    a line of the serial log must match (repeatable)
#   --expect-count N:REGEX  exactly N lines of the serial log match (repeatable)
#   --min-seconds S   the run must take at least S seconds of host time
#   --timeout S       QEMU's life (default 60 s)
#   --memory MB       the guest's memory (default 128)
#   --net legacy|modern  a virtio-net NIC (mac 52:54:00:12:34:56) on QEMU's
#                     user network: legacy (disable-modern=on, 1af4:1000) or
#                     modern only (1af4:1041); without it, no NIC
#   --forward PORT    forwards a free host port on 127.0.0.1 to guest TCP PORT
#   --hostfwd HOST:GUEST  also forwards host port HOST on 127.0.0.1 to guest
#                     TCP GUEST: a port the caller chose, to tell a peer
#                     before QEMU starts (repeatable)
#   --tap IFACE       with --net: the NIC on the existing TAP interface IFACE
#                     (QEMU runs no script) instead of the user network
#   --dgram Q:R       with --net: the NIC on QEMU's datagram backend instead:
#                     frames to and from UDP 127.0.0.1:R, received on
#                     127.0.0.1:Q (tools/fault-relay's other end)
#   --client-when REGEX  once a serial line matches, runs the --client command
#   --client COMMAND  run by bash with HOST_PORT set (the forwarded port) and
#                     SERIAL_LOG (the file the serial console is written to, as
#                     it is written); it must exit 0 (within the timeout) for
#                     the test to pass
#   --stop-after-client  once the client has passed, QEMU is stopped and its
#                     status not checked (for an image that serves until
#                     stopped, when the client checked what it must)
#   --bios FILE       firmware instead of SeaBIOS (qboot.rom assigns no BARs)
#   --machine TYPE    QEMU's machine: q35 (default), pc (i440FX + PIIX) or microvm
#   --fw-cfg NAME=FILE  a file for the guest's fw_cfg (paf_config_read(NAME)),
#                     e.g. opt/paf/cert.pem=cert.pem (repeatable)
# isa-debug-exit ends QEMU with (value << 1) | 1; platform/virtio writes the
# application's status, or 127 on a fatal error (host status 255). A triple
# fault under -no-reboot ends with 0 and a QEMU error with 1: neither can pass
# for success, because success also needs SUCCESS-style output (--expect).
# No -nographic: with -serial stdio QEMU then refuses to start ("cannot use
# stdio by multiple character devices") and exits 1, the status of success.
set -uo pipefail

die() {
  echo "run-qemu-test: $*" >&2
  exit 1
}

expected_status=0 append= min_seconds=0 limit=60 memory=128 machine_type=q35
net= guest_port= tap= dgram= client_when= client= bios= stop_after_client=
expects=() expect_counts=() fw_cfg=() hostfwds=()
while (($# > 1)); do
  [[ $1 == --stop-after-client ]] && { stop_after_client=1; shift; continue; }
  case $1 in
    --status) expected_status=$2 ;;
    --append) append=$2 ;;
    --expect) expects+=("$2") ;;
    --expect-count) expect_counts+=("$2") ;;
    --min-seconds) min_seconds=$2 ;;
    --timeout) limit=$2 ;;
    --memory) memory=$2 ;;
    --net) net=$2 ;;
    --forward) guest_port=$2 ;;
    --hostfwd) [[ $2 =~ ^[0-9]+:[0-9]+$ ]] || die "--hostfwd wants HOST:GUEST (ports)"
               hostfwds+=("$2") ;;
    --tap) tap=$2 ;;
    --dgram) [[ $2 =~ ^[0-9]+:[0-9]+$ ]] || die "--dgram wants QEMU_PORT:RELAY_PORT"
             dgram=$2 ;;
    --client-when) client_when=$2 ;;
    --client) client=$2 ;;
    --bios) bios=$2 ;;
    --machine) machine_type=$2 ;;
    --fw-cfg) [[ $2 == ?*=?* ]] || die "--fw-cfg wants NAME=FILE"
              [[ -f ${2#*=} ]] || die "--fw-cfg: no file ${2#*=}"
              fw_cfg+=(-fw_cfg "name=${2%%=*},file=${2#*=}") ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
(($# == 1)) || die "usage: $0 [--status N|fatal] [--append CMDLINE] [--expect REGEX]... [--expect-count N:REGEX]... [--min-seconds S] [--timeout S] [--memory MB] [--net legacy|modern [--forward PORT --hostfwd HOST:GUEST... | --tap IFACE | --dgram Q:R] [--client-when REGEX --client COMMAND [--stop-after-client]]] [--bios FILE] [--machine q35|pc|microvm] [--fw-cfg NAME=FILE]... IMAGE"
image=$1

command -v qemu-system-x86_64 >/dev/null ||
  die "qemu-system-x86_64 not found: install Debian's qemu-system-x86 (tools/install-build-deps and make test do)"
[[ -f $image ]] || die "no image $image: build the freestanding tree first"

case $expected_status in
  fatal) expected_host_status=255 ;;
  *) expected_host_status=$(((expected_status << 1) | 1)) ;;
esac
append=${append//@HOST_TIME@/$(date +%s)}

# A port free now on 127.0.0.1 (another program could still take it before
# QEMU binds it: QEMU then fails, and so does the test, loudly).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

machine=(-nic none)
host_port=
case $net in
  "") ;;
  legacy | modern)
    [[ $net == legacy ]] && model=disable-modern=on || model=disable-legacy=on,disable-modern=off
    netdev=user,id=n0
    [[ -z $tap ]] || netdev=tap,id=n0,ifname=$tap,script=no,downscript=no
    [[ -z $dgram ]] || netdev=dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=${dgram%%:*},remote.type=inet,remote.host=127.0.0.1,remote.port=${dgram#*:}
    [[ -z $tap || -z $dgram ]] || die "--tap or --dgram, not both"
    [[ -z $tap$dgram || -z $guest_port && ${#hostfwds[@]} == 0 ]] ||
      die "--forward and --hostfwd need the user network, not --tap or --dgram"
    if [[ -n $guest_port ]]; then
      host_port=$(free_port) || die "cannot find a free host port"
      netdev+=",hostfwd=tcp:127.0.0.1:$host_port-:$guest_port"
    fi
    for forward in "${hostfwds[@]}"; do
      netdev+=",hostfwd=tcp:127.0.0.1:${forward%%:*}-:${forward#*:}"
    done
    machine=(-netdev "$netdev" -device "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,romfile=,$model") ;;
  *) die "--net wants legacy or modern" ;;
esac
[[ -n $bios ]] && machine+=(-bios "$bios")
[[ -z $client || -n $client_when ]] || die "--client needs --client-when"
[[ -z $tap$dgram || -n $net ]] || die "--tap and --dgram need --net"

log=$(mktemp)
qemu_pid=  # timeout's, whose child is QEMU
# QEMU first: a SIGKILL to timeout would leave it running, an orphan.
stop_qemu() {
  kill -KILL $(pgrep -P "$qemu_pid") "$qemu_pid" 2>/dev/null
}
cleanup() {
  [[ -n $qemu_pid ]] && stop_qemu
  rm -f "$log" "${client_log:-}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client_log=$(mktemp)
# Waits (while QEMU lives) for the serial line the client waits for, then runs
# the client, bounded by the same timeout; on failure QEMU is stopped.
run_client() {
  until grep -Eq -- "$client_when" "$log"; do
    kill -0 "$qemu_pid" 2>/dev/null || { client_status=1; echo "QEMU ended first" >"$client_log"; return; }
    sleep 0.05
  done
  HOST_PORT=$host_port SERIAL_LOG=$log timeout --signal=KILL "$limit" bash -c "$client" >"$client_log" 2>&1
  client_status=$?
  ((client_status == 0 && !stop_after_client)) || stop_qemu
}

started=$(date +%s%N)
timeout --signal=KILL "$limit" qemu-system-x86_64 -M "$machine_type" -cpu max -m "$memory" -no-reboot \
  -display none -serial stdio "${machine[@]}" \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${fw_cfg[@]}" \
  -kernel "$image" ${append:+-append "$append"} </dev/null >"$log" 2>&1 &
qemu_pid=$!
client_status=0
[[ -n $client ]] && run_client
wait "$qemu_pid"
status=$?
qemu_pid=
elapsed_ms=$((($(date +%s%N) - started) / 1000000))

echo "--- serial log of $image (${append:+cmdline \"$append\", }${elapsed_ms} ms) ---"
# A run of the same line is printed once, with its count: a busy image's
# access log would otherwise push the client's verdict out of a CI excerpt.
awk 'function flush() { if (n > 1) print prev "  [x" n "]"; else if (n) print prev }
     n && $0 == prev { n++; next } { flush(); prev = $0; n = 1 } END { flush() }' "$log"
echo "--- end of serial log ---"
if [[ -n $client ]]; then
  echo "--- client (host port $host_port): $client ---"
  cat "$client_log"
  echo "--- end of client ---"
  ((client_status == 0)) || die "the client failed (status $client_status)"
fi

case $status in
  137) ((stop_after_client && client_status == 0)) && describe="stopped once the client passed" ;;&
  0) describe="0: the guest reset or triple-faulted (no debug exit)" ;;
  137) [[ -n ${describe:-} ]] || describe="137: killed after ${limit} s (the guest hung)" ;;
  255) describe="255: fatal error in the guest" ;;
  *) if ((status % 2)); then describe="$status: the application's status $((status >> 1))"
     else describe="$status: QEMU itself failed"; fi ;;
esac
((stop_after_client || status == expected_host_status)) ||
  die "QEMU exited with $describe; expected $expected_host_status (--status $expected_status)"
for regex in "${expects[@]}"; do
  grep -Eq -- "$regex" "$log" || die "no line of the serial log matches: $regex"
done
for count_regex in "${expect_counts[@]}"; do
  count=${count_regex%%:*} regex=${count_regex#*:}
  found=$(grep -Ec -- "$regex" "$log")
  ((found == count)) || die "$found lines of the serial log match $regex, expected $count"
done
((elapsed_ms >= min_seconds * 1000)) ||
  die "ran ${elapsed_ms} ms of host time, expected at least ${min_seconds} s (is the guest's clock fast?)"
echo "run-qemu-test: passed (QEMU status $describe)"
