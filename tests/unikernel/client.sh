#!/usr/bin/env bash
# client.sh CASE [PAF_STRESS] PORT: one property of the hello image, checked
# with curl (or paf-stress) through the runner's forwarded port on 127.0.0.1
# (or at ADDRESS:PORT, given as PORT). Exits 0 when it holds.
#   hello       GET / over HTTP/1.1 answers "Hello World!"
#   echo        POST /echo round-trips 1 MiB (sha256 of what went and came back)
#   head-large  HEAD /large says content-length: 1048576
#   keep-alive  4 concurrent clients, 50 GET / each on one connection, 0 errors
#   stress      the seed's run, PAF_STRESS -c 50 -n 200 GET /: exit 0 and
#               10,000 requests answered 200, no error
set -euo pipefail
case_name=$1 port=${*: -1} paf_stress=
(($# == 3)) && paf_stress=$2
url=http://127.0.0.1:$port
[[ $port == *:* ]] && url=http://$port
curl=(curl --silent --show-error --fail --max-time 60 --http1.1)

hello() {
  local body
  body=$("${curl[@]}" "$url/")
  [[ $body == "Hello World!" ]] || { echo "GET / answered \"$body\""; return 1; }
}

echo_1mib() {
  local dir sent received
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  head -c 1048576 /dev/urandom >"$dir/sent"
  "${curl[@]}" --data-binary "@$dir/sent" -o "$dir/received" "$url/echo"
  sent=$(sha256sum <"$dir/sent") received=$(sha256sum <"$dir/received")
  echo "sent $(stat -c %s "$dir/sent") bytes, received $(stat -c %s "$dir/received")"
  [[ $sent == "$received" ]] || { echo "the echo differs: $sent vs $received"; return 1; }
}

head_large() {
  local headers
  headers=$("${curl[@]}" --head "$url/large" | tr -d '\r')
  echo "$headers"
  grep -qix "content-length: 1048576" <<<"$headers"
}

keep_alive() {
  python3 "$(dirname "$0")/keep-alive-client.py" "$port" 4 50
}

stress() {
  local out status=0 figures
  [[ -x $paf_stress ]] || { echo "no paf-stress $paf_stress"; return 1; }
  out=$("$paf_stress" -c 50 -n 200 "$url/") || status=$?
  echo "$out"
  ((status == 0)) || { echo "paf-stress exited $status"; return 1; }
  figures=$(python3 "$(dirname "$0")/../tools/stress-output.py" <<<"$out")
  grep -qx "requests 10000" <<<"$figures" && grep -qx "answered 10000" <<<"$figures" &&
    grep -qx "status:200 10000" <<<"$figures" && grep -qx "errors 0" <<<"$figures" ||
    { echo "expected 10000 requests answered 200 without error"; return 1; }
}

case $case_name in
  hello) hello ;;
  echo) echo_1mib ;;
  head-large) head_large ;;
  keep-alive) keep_alive ;;
  stress) stress ;;
  *) echo "client.sh: unknown case $case_name"; exit 2 ;;
esac
