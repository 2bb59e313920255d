#!/usr/bin/env bash
# https-client.sh CASE [PEM] PORT: one property of the hello image's HTTPS
# port (443), checked with curl or openssl through the runner's forwarded port
# on 127.0.0.1. The image's certificate is self-signed: curl runs with -k,
# except where the certificate itself is the property. Exits 0 when it holds.
#   h2           GET / over TLS with curl --http2: HTTP/2 (ALPN h2), "Hello World!"
#   http1        GET / over TLS with curl --http1.1: HTTP/1.1 (ALPN http/1.1)
#   alpn         openssl s_client -alpn h2 negotiates h2 (then one GET / ends the run)
#   echo         POST /echo of 1 MiB over HTTP/2 and TLS round-trips (sha256);
#                the image's graceful stop (requests=1) begins while it is in
#                flight and must let it finish
#   certificate  the server presents PEM's certificate (sha256 fingerprints),
#                then one GET / ends the run
set -euo pipefail
case_name=$1 port=${*: -1} pem=
(($# == 3)) && pem=$2
url=https://127.0.0.1:$port
curl=(curl --silent --show-error --fail --max-time 60 -k)

# GET / with curl's options; checks the body and the HTTP version used.
get_hello() {
  local want_version=$1 out body version
  shift
  out=$("${curl[@]}" "$@" -w '\n%{http_version} %{time_connect} %{time_appconnect}' "$url/")
  body=${out%$'\n'*} times=${out##*$'\n'}
  read -r version connected handshaken <<<"$times"
  echo "GET / answered \"$body\" over HTTP/$version (TCP connected at ${connected} s, TLS done at ${handshaken} s)"
  [[ $body == "Hello World!" ]] || { echo "expected Hello World!"; return 1; }
  [[ $version == "$want_version" ]] || { echo "expected HTTP/$want_version"; return 1; }
}

alpn() {
  local out
  out=$(timeout 60 openssl s_client -connect "127.0.0.1:$port" -servername localhost -alpn h2 \
          </dev/null 2>&1) || true
  grep -E "^(ALPN|No ALPN)|^Protocol|Cipher is" <<<"$out" || true
  grep -qx "ALPN protocol: h2" <<<"$out" || { echo "openssl did not negotiate h2"; return 1; }
  get_hello 2 --http2
}

echo_1mib() {
  local dir sent received
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  head -c 1048576 /dev/urandom >"$dir/sent"
  "${curl[@]}" --http2 --data-binary "@$dir/sent" -o "$dir/received" \
    -w 'HTTP/%{http_version}, %{time_total} s\n' "$url/echo"
  sent=$(sha256sum <"$dir/sent") received=$(sha256sum <"$dir/received")
  echo "sent $(stat -c %s "$dir/sent") bytes, received $(stat -c %s "$dir/received")"
  [[ $sent == "$received" ]] || { echo "the echo differs: $sent vs $received"; return 1; }
}

certificate() {
  local served expected
  [[ -f $pem ]] || { echo "no certificate $pem to compare with"; return 1; }
  expected=$(openssl x509 -in "$pem" -noout -fingerprint -sha256)
  served=$(timeout 60 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
             </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256) || true
  echo "served:   $served"
  echo "expected: $expected ($pem)"
  [[ -n $served && $served == "$expected" ]] || { echo "not the expected certificate"; return 1; }
  get_hello 2 --http2
}

case $case_name in
  h2) get_hello 2 --http2 ;;
  http1) get_hello 1.1 --http1.1 ;;
  alpn) alpn ;;
  echo) echo_1mib ;;
  certificate) certificate ;;
  *) echo "https-client.sh: unknown case $case_name"; exit 2 ;;
esac
