#!/usr/bin/env bash
# faults.sh RUNNER IMAGE FAULT_RELAY PAF_SERVER TEST_CERT PAF_STRESS: the image hello.elf
# behind a faulty cable (this kernel has no netem). QEMU's datagram backend
# carries the guest's frames to tools/fault-relay, which passes them to a TAP
# interface in a network namespace of the test's own, where the host
# kernel's TCP/IP is the image's peer — dropping 5% of the frames each way,
# duplicating 1%, reordering 1%, and delaying each by 50 ms ± 20 ms.
#
# Through it, curl fetches GET /large (1 MiB) and echoes 1 MiB through POST
# /echo over HTTP/1.1, h2c, HTTPS h2 and HTTPS HTTP/1.1, all at once, while
# paf-stress sends 100 small h2c requests on 4 connections, h2load 200 on 4
# h2c connections (10 streams at once on each) and GET /large 4 times over
# HTTPS h2 on 4 connections; three seconds in, the relay cuts the link for
# two seconds. paf-stress's and h2load's requests must all be answered
# (h2load's /large with exactly 1 MiB of data each), or fail with the
# image's TLS handshake timeout (its console says so). Each curl transfer must
# complete with the right SHA-256, or fail with curl's timeout (28) or that
# handshake timeout — none hangs, none
# returns corrupted or short data, none fails otherwise — and the
# image must still answer GET / afterwards. The relay's counts prove that
# each kind of fault happened in each direction. Skips (77) on a host without
# TAP or network namespaces.
#
# With `client WORK` as its arguments it is the client side, run inside the
# namespace by the runner once the image listens.
set -uo pipefail

guest=10.79.0.2
transfer_limit=120  # seconds, each transfer (curl's --max-time)

if [[ ${1:-} == client ]]; then
  work=$2
  declare -A expected
  expected[get]=$(cat "$work/large.sha256")
  expected[echo]=$(sha256sum <"$work/body.bin" | cut -d' ' -f1)
  transfer() {  # NAME KIND CURL-ARGS...: one transfer in the background
    local name=$1 kind=$2
    shift 2
    [[ " $* " == *" https://"* ]] && tls_transfer[$name]=1
    local data=()
    [[ $kind == echo ]] && data=(--data-binary "@$work/body.bin")
    curl -sS --max-time "$transfer_limit" "${data[@]}" -o "$work/$name.out" -w '%{time_total}' "$@" \
      >"$work/$name.time" 2>"$work/$name.err" &
    pids[$name]=$! kinds[$name]=$kind
  }
  declare -A pids kinds tls_transfer
  tls=(--cacert "$work/cert.pem" --resolve "localhost:443:$guest")
  transfer h1_get get --http1.1 "http://$guest/large"
  transfer h1_echo echo --http1.1 "http://$guest/echo"
  transfer h2c_get get --http2-prior-knowledge "http://$guest/large"
  transfer h2c_echo echo --http2-prior-knowledge "http://$guest/echo"
  transfer h2_get get --http2 "${tls[@]}" "https://localhost/large"
  transfer h2_echo echo --http2 "${tls[@]}" "https://localhost/echo"
  transfer https_h1_get get --http1.1 "${tls[@]}" "https://localhost/large"
  "$work/paf-stress" -c 4 -n 25 --http2-prior-knowledge --timeout 60 --json "http://$guest/" \
    >"$work/stress.json" 2>"$work/stress.err" &
  stress_pid=$!
  # h2load has no overall timeout: `timeout` bounds it (and then it fails).
  timeout 200 h2load -n 200 -c 4 -m 10 "http://$guest/" >"$work/h2load_h2c.out" 2>&1 &
  h2load_pids=($!)
  timeout 200 h2load -n 4 -c 4 -m 1 "https://$guest/large" >"$work/h2load_h2.out" 2>&1 &
  h2load_pids+=($!)
  sleep 3
  kill -USR1 "$(cat "$work/relay.pid")"  # the link is cut for two seconds
  failed=0 completed=0 timed_out=0
  # A TLS handshake the loss and the cut stretch past the image's handshake
  # timeout (10 s) is a clean timeout too: the image closes the connection and
  # says so on its console. With TLS 1.3 the client's handshake is over by
  # then, so curl reports an empty reply (52), else a TLS error (35) or a
  # reset (56). As many such failures pass as the console has such lines
  # (counted once the transfer has ended).
  handshake_timeouts_used=0
  for name in "${!pids[@]}"; do
    wait "${pids[$name]}"
    status=$?
    took="after $(cat "$work/$name.time") s"
    if ((status == 0)); then
      sum=$(sha256sum <"$work/$name.out" | cut -d' ' -f1)
      if [[ $sum == "${expected[${kinds[$name]}]}" ]]; then
        completed=$((completed + 1))
        echo "$name: complete, sha256 right ($(stat -c %s "$work/$name.out") bytes, $took)"
      else
        failed=1
        echo "$name: CORRUPTED: $(stat -c %s "$work/$name.out") bytes, sha256 $sum ($took)"
      fi
    elif ((status == 28)); then
      timed_out=$((timed_out + 1))
      echo "$name: timed out after $transfer_limit s (clean)"
    elif [[ -n ${tls_transfer[$name]:-} ]] && ((status == 35 || status == 52 || status == 56)) &&
      (($(grep -c ': TLS: the handshake timed out$' "${SERIAL_LOG:-/dev/null}") > handshake_timeouts_used)); then
      handshake_timeouts_used=$((handshake_timeouts_used + 1)) timed_out=$((timed_out + 1))
      echo "$name: the image's TLS handshake timed out (clean: its console says so; curl status $status, $took)"
    else
      failed=1
      echo "$name: FAILED (curl status $status, $took): $(cat "$work/$name.err")"
    fi
  done
  echo "transfers: $completed complete, $timed_out timed out (${SECONDS} s since the client began)"
  wait "$stress_pid"
  # paf-stress: every request answered, or timed out (60 s), nothing else.
  python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
kinds = result["errors_by_kind"]
print("paf-stress: %d requests, %d answered, errors %s" % (result["requests"], result["answered"], kinds))
sys.exit(0 if result["requests"] == 100 and set(kinds) <= {"timeout"} else 1)
' "$work/stress.json" || failed=1
  # h2load: every request answered 2xx ("NAME REQUESTS BYTES_EACH", 0: the
  # bytes not counted); it does not check the bytes themselves. Over TLS, a
  # connection whose handshake the image timed out (its console says so, as
  # for curl above) fails its one request cleanly: h2load does not connect
  # again.
  h2load_status=0
  for pid in "${h2load_pids[@]}"; do wait "$pid" || h2load_status=1; done
  for check in "h2load_h2c 200 0" "h2load_h2 4 1048576"; do
    read -r name total size <<<"$check"
    summary=$(grep -E "^(finished in|requests:|status codes:|traffic:)" "$work/$name.out" | tr '\n' ' ')
    echo "$name: $summary"
    answered=-1 excused=0
    [[ $summary =~ requests:\ $total\ total,\ [0-9]+\ started,\ [0-9]+\ done,\ ([0-9]+)\ succeeded,\ ([0-9]+)\ failed ]] &&
      answered=${BASH_REMATCH[1]} excused=${BASH_REMATCH[2]}
    if ((answered >= 0 && answered < total)) && [[ $name == h2load_h2 ]] && ((answered + excused == total)); then
      connections=$excused
      spare=$(($(grep -c ': TLS: the handshake timed out$' "${SERIAL_LOG:-/dev/null}") - handshake_timeouts_used))
      if ((connections <= spare)); then
        handshake_timeouts_used=$((handshake_timeouts_used + connections))
        echo "$name: $excused requests failed on $connections connection(s) whose TLS handshake the image timed out (clean: its console says so)"
        total=$answered
      fi
    fi
    ((answered == total)) && [[ $summary =~ status\ codes:\ $total\ 2xx ]] &&
      { ((size == 0)) || [[ $summary =~ \($((total * size))\)\ data ]]; } ||
      { echo "$name: not every request was answered"; cat "$work/$name.out"; failed=1; }
  done
  ((h2load_status == 0)) || { echo "h2load failed or ran out of time"; failed=1; }
  ((completed > 0)) || { echo "no transfer completed"; failed=1; }
  # The image keeps serving after the faults.
  hello=$(curl -sS --max-time 60 --retry 2 "http://$guest/")
  [[ $hello == "Hello World!" ]] || { echo "GET / afterwards: '$hello'"; failed=1; }
  echo "client: done after ${SECONDS} s"
  exit "$failed"
fi

runner=$1 image=$2 relay=$3 paf_server=$4 test_cert=$5 paf_stress=$6
work=$(mktemp -d)
relay_pid= server_pid=
die() {
  echo "faults: $*" >&2
  exit 1
}
skip() {
  echo "faults: skipped: $*"
  exit 77
}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/tap-namespace.sh"
cleanup() {
  [[ -n $relay_pid ]] && kill -KILL "$relay_pid" 2>/dev/null
  [[ -n $server_pid ]] && kill -KILL "$server_pid" 2>/dev/null
  tap_namespace_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

# The 1 MiB of GET /large, as the demo handler makes it (paf-server runs the
# same code), and a 1 MiB body to echo.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$paf_server" --host 127.0.0.1 --http "$port" --access-log off >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
curl -sS --max-time 30 "http://127.0.0.1:$port/large" | sha256sum | cut -d' ' -f1 >"$work/large.sha256"
kill "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=
[[ $(cat "$work/large.sha256") =~ ^[0-9a-f]{64}$ ]] || die "no reference for GET /large"
head -c 1048576 /dev/urandom >"$work/body.bin"
cp "$test_cert" "$work/cert.pem"
cp "$paf_stress" "$work/paf-stress"

tap_namespace_up 10.79.0 fd00:79
# In the namespace, QEMU and the relay meet on its own loopback.
ip netns exec "$ns" "$relay" --qemu-port 40001 --listen-port 40002 --tap "$tap" --seed "$$" \
  --loss 5 --duplicate 1 --reorder 1 --delay 50 --jitter 20 --partition-seconds 2 \
  --stats "$work/relay.stats" 2>"$work/relay.log" &
relay_pid=$!
echo "$relay_pid" >"$work/relay.pid"
wait_for 10 "$work/relay.log" "^fault-relay: relaying" "$relay_pid" ||
  die "the relay did not start: $(cat "$work/relay.log")"

ip netns exec "$ns" "$runner" --net modern --dgram 40001:40002 --append "ip=$guest/24" \
  --timeout 300 --client-when "^hello: listening on https://" \
  --client "'$0' client '$work'" --stop-after-client "$image"
status=$?
kill -TERM "$relay_pid"
wait "$relay_pid"
relay_pid=
echo "--- fault-relay ---"
cat "$work/relay.log"
((status == 0)) || die "the image or a transfer failed (above)"
# Each kind of fault happened, each way (the seed's run is in the relay's log).
for direction in "guest->host" "host->guest"; do
  line=$(grep "^$direction:" "$work/relay.stats") || die "no counts for $direction"
  for kind in lost duplicated reordered cut; do
    [[ $line =~ $kind\ ([0-9]+) ]] && ((BASH_REMATCH[1] > 0)) || die "no frame $kind $direction: $line"
  done
done
echo "faults: passed"
