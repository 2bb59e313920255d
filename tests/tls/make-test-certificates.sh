#!/bin/sh
# Makes the certificates the TLS tests use, in DIR, with the openssl CLI; never
# committed (the keys are throwaway). SET "ec": an ECDSA P-256 CA, a leaf for
# localhost (and 127.0.0.1), a second leaf for second.test (and *.second.test),
# and an untrusted CA; SET "rsa": an RSA 2048 CA and a leaf for localhost.
# Usage: make-test-certificates.sh DIR ec|rsa
set -eu
dir=$1
cd "$dir"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
# ca NAME SUBJECT_CN
ca() {
  openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 2 -out "$1.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
# leaf NAME CA SUBJECT_CN SUBJECT_ALT_NAMES
leaf() {
  openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

case $2 in
  ec)
    ec_key ca-ec && ca ca-ec "paf test CA (ECDSA)"
    ec_key localhost-ec && leaf localhost-ec ca-ec localhost "DNS:localhost,IP:127.0.0.1"
    ec_key second-ec && leaf second-ec ca-ec second.test "DNS:second.test,DNS:*.second.test"
    ec_key other-ca && ca other-ca "an untrusted CA"
    ;;
  rsa)
    rsa_key ca-rsa && ca ca-rsa "paf test CA (RSA)"
    rsa_key localhost-rsa && leaf localhost-rsa ca-rsa localhost "DNS:localhost,IP:127.0.0.1"
    ;;
  *) echo "usage: $0 DIR ec|rsa" >&2; exit 2 ;;
esac
