#!/bin/bash
# Certificates for the client's TLS verification tests, made with openssl in
# DIR (P-256 keys, unencrypted):
#   ca.pem                 the test CA, the one a client trusts
#   good.pem/.key          localhost and 127.0.0.1, signed by the CA
#   wrong-name.pem/.key    wrong.example only, signed by the CA
#   untrusted.pem/.key     localhost, signed by another CA (other-ca.pem)
#   expired.pem/.key       localhost, signed by the CA, valid in January 2020 only
#   verify.txt             openssl verify's verdict on each against ca.pem, for
#                          the test to check the certificates are as meant
# Usage: make-test-pki.sh DIR
set -eu
dir=${1:?usage: make-test-pki.sh DIR}
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME CN
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -days 2 -subj "/CN=$2" -out "$1.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
request() {  # request NAME CN: NAME.key, NAME.csr
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
}
sign() {  # sign NAME CA SAN
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile <(printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$3") -out "$1.pem" 2>/dev/null
}
ca ca "paf test CA"
ca other-ca "paf other CA"
request good localhost && sign good ca DNS:localhost,IP:127.0.0.1
request wrong-name wrong.example && sign wrong-name ca DNS:wrong.example
request untrusted localhost && sign untrusted other-ca DNS:localhost,IP:127.0.0.1
# openssl x509 cannot date a certificate in the past (before OpenSSL 3.4);
# openssl ca can, with its database in a folder of its own.
request expired localhost
mkdir -p expired-ca && : >expired-ca/index.txt
cat >expired-ca/ca.cnf <<EOF
[ca]
default_ca = test
[test]
database = $PWD/expired-ca/index.txt
new_certs_dir = $PWD/expired-ca
serial = $PWD/expired-ca/serial
default_md = sha256
policy = anything
x509_extensions = leaf
[anything]
commonName = supplied
[leaf]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
EOF
echo 01 >expired-ca/serial
openssl ca -batch -notext -config expired-ca/ca.cnf -cert ca.pem -keyfile ca.key \
  -startdate 20200101000000Z -enddate 20200102000000Z -in expired.csr -out expired.pem 2>/dev/null
for name in good wrong-name untrusted expired; do
  openssl verify -CAfile ca.pem "$name.pem" >/dev/null 2>&1 && echo "$name: verifies" || echo "$name: fails"
done >verify.txt
