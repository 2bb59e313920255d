#!/bin/bash
# RFC 9113 §5.1/§6.1 stream states and the §3.4 preface, over real sockets:
# paf-server (h2c on its plain port, h2 by ALPN on its TLS port) against
# stream_states_peer.py, a client written on Debian's hyperframe and hpack
# that sends each frame in its own write, as a conformance tester does.
# Usage: check-stream-states.sh PAF_SERVER MAKE_TEST_CERT CASE
set -u
server=${1:?usage: check-stream-states.sh PAF_SERVER MAKE_TEST_CERT CASE}
make_cert=${2:?usage: check-stream-states.sh PAF_SERVER MAKE_TEST_CERT CASE}
case=${3:?usage: check-stream-states.sh PAF_SERVER MAKE_TEST_CERT CASE}
peer=$(dirname "$0")/stream_states_peer.py
/usr/bin/python3 -c 'import hpack, hyperframe' 2>/dev/null ||
  { echo "FAIL: no python3-hpack or python3-hyperframe (make test installs them: tools/install-build-deps)"; exit 1; }
. "$(dirname "$0")/../support/paf-server-harness.sh"

"$make_cert" "$work/cert" >/dev/null || { echo "FAIL: make-test-cert"; exit 1; }
start_paf_server "$server" --http @PORT@ --https @PORT2@ --access-log off \
  --cert "$work/cert/localhost.pem" --key "$work/cert/localhost.key"

for transport in h2c tls; do
  [ "$transport" = tls ] && at=$port2 || at=$port
  /usr/bin/python3 "$peer" 127.0.0.1 "$at" "$transport" "$case" || failures=$((failures + 1))
done
# The server went on serving everyone else, and stops cleanly.
check "paf-server still serves h2c after the case" \
  test "$(curl -sS --max-time 10 --http2-prior-knowledge "http://127.0.0.1:$port/")" = "Hello World!"
check "paf-server shuts down gracefully" stop_paf_server
exit $((failures > 0))
