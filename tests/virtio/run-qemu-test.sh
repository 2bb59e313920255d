#!/usr/bin/env bash
# run-qemu-test.sh [OPTIONS] IMAGE: boots a platform/virtio image under QEMU
# (TCG is enough), with its serial console on stdout, and checks how it ended.
#   --status N|fatal  expected end: paf_app_main returned N (default 0), or a
#                     fatal error (exception, abort)
#   --append CMDLINE  the guest's command line; @HOST_TIME@ becomes the host's
#                     time in seconds since the epoch
#   --expect REGEX    a line of the serial log must match (repeatable)
#   --min-seconds S   the run must take at least S seconds of host time
#   --timeout S       QEMU's life (default 60 s)
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

expected_status=0 append= min_seconds=0 limit=60
expects=()
while (($# > 1)); do
  case $1 in
    --status) expected_status=$2 ;;
    --append) append=$2 ;;
    --expect) expects+=("$2") ;;
    --min-seconds) min_seconds=$2 ;;
    --timeout) limit=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
(($# == 1)) || die "usage: $0 [--status N|fatal] [--append CMDLINE] [--expect REGEX]... [--min-seconds S] [--timeout S] IMAGE"
image=$1

command -v qemu-system-x86_64 >/dev/null ||
  die "qemu-system-x86_64 not found: install Debian's qemu-system-x86 (tools/install-build-deps and make test do)"
[[ -f $image ]] || die "no image $image: build the freestanding tree first"

case $expected_status in
  fatal) expected_host_status=255 ;;
  *) expected_host_status=$(((expected_status << 1) | 1)) ;;
esac
append=${append//@HOST_TIME@/$(date +%s)}

log=$(mktemp)
qemu_pid=
cleanup() {
  [[ -n $qemu_pid ]] && kill -KILL "$qemu_pid" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s%N)
timeout --signal=KILL "$limit" qemu-system-x86_64 -M q35 -cpu max -m 128 -no-reboot \
  -display none -serial stdio -nic none \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel "$image" ${append:+-append "$append"} </dev/null >"$log" 2>&1 &
qemu_pid=$!
wait "$qemu_pid"
status=$?
qemu_pid=
elapsed_ms=$((($(date +%s%N) - started) / 1000000))

echo "--- serial log of $image (${append:+cmdline \"$append\", }${elapsed_ms} ms) ---"
cat "$log"
echo "--- end of serial log ---"

case $status in
  0) describe="0: the guest reset or triple-faulted (no debug exit)" ;;
  137) describe="137: killed after ${limit} s (the guest hung)" ;;
  255) describe="255: fatal error in the guest" ;;
  *) if ((status % 2)); then describe="$status: the application's status $((status >> 1))"
     else describe="$status: QEMU itself failed"; fi ;;
esac
((status == expected_host_status)) ||
  die "QEMU exited with $describe; expected $expected_host_status (--status $expected_status)"
for regex in "${expects[@]}"; do
  grep -Eq -- "$regex" "$log" || die "no line of the serial log matches: $regex"
done
((elapsed_ms >= min_seconds * 1000)) ||
  die "ran ${elapsed_ms} ms of host time, expected at least ${min_seconds} s (is the guest's clock fast?)"
echo "run-qemu-test: passed (QEMU status $describe)"
