#!/usr/bin/env bash
# The image's own figures: hello.elf under QEMU (TCG, as its tests run it; no
# access log: a serial line per request would be what is measured), pinned
# to CPU 0, measured by paf-stress beside h2load (h2c, -m 10) and wrk
# (HTTP/1.1), each pinned to CPU 1, GET / (12 bytes), 32 connections, side by
# side in one run. The image sits on a TAP interface in a network namespace
# of its own (tests/support/tap-namespace.sh) and the generators run in that
# namespace: QEMU's user network (hostfwd) would take the forwarded
# connections one at a time (slirp listens with a backlog of 1), measuring
# slirp instead of the image. Each generator runs ROUNDS times, taking turns;
# the median round is shown, then paf-stress's req/s against each peer's on
# the same protocol (the image is the bottleneck: near 1.00x means paf-stress
# measures what they measure).
#
#   tools/bench/image.sh BUILD_DIR [IMAGE]   (DURATION=5 seconds per run, ROUNDS=3)
#   (root: the namespace and the TAP interface; IMAGE defaults to
#   build/freestanding/unikernel/hello/hello.elf beside BUILD_DIR)
set -euo pipefail
build=${1:-build/host}
image=${2:-$(dirname "$build")/freestanding/unikernel/hello/hello.elf}
duration=${DURATION:-5}
rounds=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
paf_stress=$build/tools/paf-stress
work=$(mktemp -d)
qemu_pid=
die() { echo "bench: $*" >&2; exit 1; }
skip() { echo "bench: the image's figures skipped: $*" >&2; exit 0; }
source "$here/common.sh"
source "$here/../../tests/support/tap-namespace.sh"
ns=paf-bench-$$
cleanup() {  # (set -e: every step must succeed, or the namespace would stay)
  if [[ -n $qemu_pid ]]; then
    kill -KILL "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
  fi
  tap_namespace_cleanup || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in h2load wrk taskset python3 qemu-system-x86_64 ip; do
  command -v "$tool" >/dev/null || die "$tool missing (make bench installs it)"
done
[[ -x $paf_stress ]] || die "$paf_stress not built"
[[ -f $image ]] || die "no image $image (make image builds it)"

tap_namespace_up 10.79.0 fd00:79
address=10.79.0.2
ip netns exec "$ns" taskset -c 0 qemu-system-x86_64 -M q35 -accel tcg -cpu max -m 128 -no-reboot \
  -display none -serial "file:$work/serial.log" -monitor none \
  -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
  -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,romfile= \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$image" \
  -append "ip=$address/24 gw=10.79.0.1 access-log=off" </dev/null >"$work/qemu.log" 2>&1 &
qemu_pid=$!
wait_for 60 "$work/serial.log" "^hello: listening on http://$address:80/" "$qemu_pid" ||
  die "the image did not start: $(cat "$work/qemu.log" "$work/serial.log")"
url=http://$address/
in_ns=(ip netns exec "$ns")

declare -A results
run_round() {
  results[h2load]+="$(generator_rate h2load "${in_ns[@]}" h2load -t1 -c32 -m10 -D "$duration" "$url")"$'\n'
  results[paf-stress-h2]+="$(generator_rate paf-stress "${in_ns[@]}" "$paf_stress" -c 32 -m 10 \
    --http2-prior-knowledge -d "$duration" --json "$url")"$'\n'
  results[wrk]+="$(generator_rate wrk "${in_ns[@]}" wrk -t1 -c32 -d "${duration}s" "$url")"$'\n'
  results[paf-stress-h1]+="$(generator_rate paf-stress "${in_ns[@]}" "$paf_stress" -c 32 -d "$duration" \
    --json "$url")"$'\n'
}
for _ in $(seq "$rounds"); do run_round; done
# The figures are the image's only if it still runs (no fatal error ended it).
running "$qemu_pid" || die "the image ended: $(cat "$work/serial.log")"

echo "== hello.elf under QEMU (TCG, TAP), GET /, 32 connections, ${duration}s, median of $rounds"
printf '%-28s %12s\n' generator "image's req/s"
declare -A rate
for name in h2load paf-stress-h2 wrk paf-stress-h1; do
  read -r rate[$name] _ _ <<<"$(median_round "${results[$name]}" "$rounds")"
  label=$(generator_label "$name")
  printf '%-28s %12s\n' "$label" "${rate[$name]}"
done
awk -v a="${rate[paf-stress-h2]}" -v b="${rate[h2load]}" -v c="${rate[paf-stress-h1]}" \
  -v d="${rate[wrk]}" 'BEGIN {
  printf "paf-stress measures the image at %.2fx h2load'\''s req/s (h2c), %.2fx wrk'\''s (HTTP/1.1)\n", a / b, c / d }'
