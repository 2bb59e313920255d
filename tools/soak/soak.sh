#!/usr/bin/env bash
# make soak: mixed traffic for SOAK_SECONDS (default 600) against paf-server,
# then against the image hello.elf — HTTP/1.1, h2c and HTTPS h2 from
# paf-stress on reused connections; 1 MiB GET /large and POST /echo from curl
# on a new connection each, checked by SHA-256 — while the server's memory is
# sampled every SAMPLE_SECONDS (default 10):
#   paf-server: its resident memory (VmRSS);
#   hello.elf (under QEMU, TCG, on a TAP interface in a network namespace of
#   its own): its heap in use and the heap's high-water mark, from the line
#   it writes on its console every second (heap-report=1).
# A run passes when no request failed and the memory after the first minute
# stays flat: its highest sample at most 10% (and 4 MiB) above its first
# sample after a minute (for the image, both its heap in use and its
# high-water mark). Prints each curve (seconds, KiB) and a verdict.
#
#   tools/soak/soak.sh BUILD_DIR [FREESTANDING_DIR]     (make soak)
#   SOAK_TARGET=hosted|image|both (default both; the image needs TAP and
#   network namespaces, as root: without them it is skipped, and said so)
set -euo pipefail
build=${1:-build/host}
freestanding=${2:-build/freestanding}
seconds=${SOAK_SECONDS:-600}
sample=${SAMPLE_SECONDS:-10}
target=${SOAK_TARGET:-both}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/tools/bench/common.sh"
paf_server=$build/tools/paf-server paf_stress=$build/tools/paf-stress
image=$freestanding/unikernel/hello/hello.elf
image_cert=$freestanding/unikernel/hello/test-cert/localhost.pem
[[ $target =~ ^(hosted|image|both)$ ]] || { echo "soak: SOAK_TARGET is hosted, image or both" >&2; exit 2; }
for binary in "$paf_server" "$paf_stress"; do
  [[ -x $binary ]] || { echo "soak: $binary not built (make host)" >&2; exit 1; }
done
if [[ $target != hosted ]]; then
  [[ -f $image && -f $image_cert ]] || { echo "soak: $image not built (make image)" >&2; exit 1; }
fi
work=$(mktemp -d)
pids=() stress_pids=()
die() { echo "soak: $*" >&2; exit 1; }
image_skipped=
skip() { image_skipped=$*; }
source "$root/tests/support/tap-namespace.sh"
ns=paf-soak-$$
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tap_namespace_cleanup || true
  rm -rf "$work"
}
trap cleanup EXIT
head -c 1048576 /dev/urandom >"$work/body.bin"
body_sha=$(sha256sum <"$work/body.bin" | cut -d' ' -f1)

# soak NAME: the traffic against the server the globals describe, sampling
# `memory_sample` (which prints one or more numbers in KiB, as `columns`
# names them), then the verdict. Globals: run (a command prefix for the
# clients), http_url, https_url (curl's), stress_https_url (paf-stress's),
# curl_tls and stress_tls (their TLS options).
soak() {
  local name=$1 out=$work/$1
  mkdir -p "$out"
  stress_pids=()
  local large_sha
  large_sha=$("${run[@]}" curl -sS --max-time 60 "$http_url/large" | sha256sum | cut -d' ' -f1)
  stress() {  # NAME ARGS...
    local what=$1
    shift
    "${run[@]}" "$paf_stress" -d "$seconds" --json "$@" >"$out/$what.json" 2>"$out/$what.err" &
    pids+=($!) stress_pids+=($!)
  }
  stress h1 -c 4 "$http_url/"
  stress h2c -c 2 -m 5 --http2-prior-knowledge "$http_url/" "$http_url/random?len=1000&seed=1"
  stress h2 -c 2 -m 5 "${stress_tls[@]}" "$stress_https_url/"
  # New connections with 1 MiB bodies: curl, one request each, checked.
  big_transfers() {
    local deadline=$((SECONDS + seconds)) n=0 bad=0 sum
    while ((SECONDS < deadline)); do
      n=$((n + 1))
      case $((n % 3)) in
        0) sum=$("${run[@]}" curl -sS --max-time 60 "$http_url/large" | sha256sum | cut -d' ' -f1)
           [[ $sum == "$large_sha" ]] || bad=$((bad + 1)) ;;
        1) sum=$("${run[@]}" curl -sS --max-time 60 --http2-prior-knowledge --data-binary "@$work/body.bin" \
                   "$http_url/echo" | sha256sum | cut -d' ' -f1)
           [[ $sum == "$body_sha" ]] || bad=$((bad + 1)) ;;
        2) sum=$("${run[@]}" curl -sS --max-time 60 --http2 "${curl_tls[@]}" \
                   --data-binary "@$work/body.bin" "$https_url/echo" | sha256sum | cut -d' ' -f1)
           [[ $sum == "$body_sha" ]] || bad=$((bad + 1)) ;;
      esac
    done
    echo "$n $bad" >"$out/big.result"
  }
  big_transfers &
  pids+=($!)
  local big=$! start=$SECONDS
  echo "soak: ${seconds} s of mixed traffic against $name; memory every ${sample} s"
  echo "seconds $columns"
  : >"$out/curve"
  while ((SECONDS - start < seconds)); do
    sleep "$sample"
    echo "$((SECONDS - start)) $(memory_sample)" | tee -a "$out/curve"
  done
  wait "$big"
  local pid
  for pid in "${stress_pids[@]}"; do wait "$pid" || true; done  # exit 1 with errors: read below
  python3 - "$out" "$name" <<'PY'
import json, sys
out, name = sys.argv[1], sys.argv[2]
failed = []
for what in ("h1", "h2c", "h2"):
    try:
        result = json.load(open("%s/%s.json" % (out, what)))
    except ValueError:
        failed.append("%s: no result (%s)" % (what, open("%s/%s.err" % (out, what)).read().strip()[:200]))
        continue
    if result["errors"]:
        failed.append("%s: %d errors %s" % (what, result["errors"], result.get("errors_by_kind", "")))
    print("%s: %d requests, %.0f req/s, %d errors" % (what, result["requests"],
                                                       result["requests_per_second"], result["errors"]))
big, bad = map(int, open("%s/big.result" % out).read().split())
print("1 MiB transfers on new connections: %d, %d wrong" % (big, bad))
if bad:
    failed.append("%d of the 1 MiB transfers were wrong" % bad)
curve = [list(map(int, line.split())) for line in open("%s/curve" % out)]
if not curve or any(len(row) != len(curve[0]) for row in curve):
    failed.append("no memory curve")
else:
    after = [row for row in curve if row[0] >= 60] or curve
    for column in range(1, len(curve[0])):
        base, high = after[0][column], max(row[column] for row in after)
        flat = high <= max(base * 1.10, base + 4096)
        print("memory (column %d) after the first minute: %d KiB first, %d KiB highest (%+.1f%%)" % (
            column, base, high, 100.0 * (high - base) / max(base, 1)))
        if not flat:
            failed.append("the memory (column %d) grew after the first minute" % column)
print("soak of %s: %s" % (name, "passed" if not failed else "FAILED: " + "; ".join(failed)))
sys.exit(1 if failed else 0)
PY
}

status=0
if [[ $target != image ]]; then
  "$root/tools/make-test-cert" "$work/cert" >/dev/null
  http=$(free_port) https=$(free_port $((http + 1)))
  "$paf_server" --http "$http" --https "$https" --cert "$work/cert/localhost.pem" \
    --key "$work/cert/localhost.key" --access-log off >"$work/server.log" 2>&1 &
  server=$!
  pids+=("$server")
  wait_listening "$http" paf-server
  wait_listening "$https" paf-server
  run=() http_url=http://127.0.0.1:$http https_url=https://localhost:$https stress_https_url=$https_url
  curl_tls=(--cacert "$work/cert/localhost.pem") stress_tls=(--cacert "$work/cert/localhost.pem")
  columns=rss_kib
  memory_sample() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
  soak "paf-server (pid $server)" || status=1
  kill "$server"
  wait "$server" 2>/dev/null || true
fi

if [[ $target != hosted ]]; then
  [[ $(id -u) == 0 ]] || skip "not root (a network namespace and a TAP interface are needed)"
  [[ -n $image_skipped ]] || tap_namespace_up 10.84.0 fd00:84
  if [[ -n $image_skipped ]]; then
    echo "soak: the image's soak skipped: $image_skipped"
  else
    address=10.84.0.2
    ip netns exec "$ns" qemu-system-x86_64 -M q35 -accel tcg -cpu max -m 256 -no-reboot \
      -display none -serial "file:$work/serial.log" -monitor none \
      -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
      -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,romfile= \
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$image" \
      -append "ip=$address/24 gw=10.84.0.1 access-log=off heap-report=1" \
      </dev/null >"$work/qemu.log" 2>&1 &
    qemu=$!
    pids+=("$qemu")
    wait_for 60 "$work/serial.log" "^hello: listening on https://$address:443/" "$qemu" ||
      die "the image did not start: $(cat "$work/qemu.log" "$work/serial.log")"
    run=(ip netns exec "$ns") http_url=http://$address https_url=https://localhost
    curl_tls=(--cacert "$image_cert" --resolve "localhost:443:$address")
    stress_tls=(-k)  # paf-stress has no --resolve: the test certificate names localhost only
    stress_https_url=https://$address
    columns="heap_in_use_kib heap_high_water_kib"
    # The last heap line of the console (written every second).
    memory_sample() {
      sed -n 's/^hello: heap: \([0-9]*\) KiB in use, high-water \([0-9]*\) KiB.*/\1 \2/p' \
        "$work/serial.log" | tail -1
    }
    soak "hello.elf (QEMU pid $qemu)" || status=1
    kill -0 "$qemu" 2>/dev/null || { echo "soak: the image ended: $(tail -5 "$work/serial.log")"; status=1; }
  fi
fi
exit $status
