#!/usr/bin/env bash
# check-attacks.sh PAF_SERVER MAKE_TEST_CERT ATTACK: starts paf-server (plain
# and HTTPS, a 2-second head and body timeout, room for 8,192 descriptors),
# runs one attack of attacks.py against it beside a well-behaved client, then
# checks that the server still runs and shuts down cleanly.
set -uo pipefail
server=$1 make_cert=$2 attack=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/paf-server-harness.sh"
"$make_cert" "$work/cert" >/dev/null 2>&1 || { echo "FAIL: cannot make a certificate"; exit 1; }
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
start_paf_server "$server" --http @PORT@ --https @PORT2@ --cert "$work/cert/localhost.pem" \
  --key "$work/cert/localhost.key" --header-timeout 2 --body-timeout 2 --access-log off
timeout --signal=KILL 90 "$here/attacks.py" 127.0.0.1 "$port" "$port2" "$pid" "$attack"
status=$?
check "paf-server still runs after the attack" kill -0 "$pid"
check "paf-server shuts down cleanly" stop_paf_server
echo "--- paf-server's stderr ---"
tail -5 "$work/err"
((status == 0 && failures == 0))
