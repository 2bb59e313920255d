#!/bin/bash
# The README's client example (built from README.md by tests/client) against
# paf-server: the body of a URL, its bytes as curl gets them, and a refused
# connection's one line and exit status.
# Usage: check-readme-example.sh PATH/TO/EXAMPLE PATH/TO/paf-server
set -u
example=${1:?usage: check-readme-example.sh EXAMPLE PAF_SERVER}
server=${2:?usage: check-readme-example.sh EXAMPLE PAF_SERVER}
. "$(dirname "$0")/../support/paf-server-harness.sh"
start_paf_server "$server" --http @PORT@
http=http://127.0.0.1:$port

check "GET /: the body" test "$(timeout 30 "$example" "$http/")" = "Hello World!"
timeout 30 "$example" "$http/random?len=100000&seed=5" >"$work/example"
curl -sS "$http/random?len=100000&seed=5" >"$work/curl"
check "GET /random: the bytes curl gets" cmp -s "$work/example" "$work/curl"
timeout 30 "$example" "http://127.0.0.1:$((port + 1))/" >/dev/null 2>"$work/err"; status=$?
check "refused: exit 1, one line on stderr" test "$status-$(wc -l <"$work/err")" = "1-1"
check "usage: exit 2" test "$(timeout 30 "$example"; echo $?)" = 2

stop_paf_server
[ "$failures" -eq 0 ] && echo "the README's client example works"
exit "$failures"
