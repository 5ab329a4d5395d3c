#!/usr/bin/env bash
# Benchmark certificates (never for real traffic): a CA, the proxy certificate (server for the clients
# and client certificate toward the nodes, as in Cisco's setup) and two node certificates.
# Usage: make-certs.sh DIR     (does nothing when DIR already holds a complete set)
set -euo pipefail
out=$1
mkdir -p "$out"
[[ -s $out/ca.crt && -s $out/proxy.crt && -s $out/proxy.pem && -s $out/node1.crt && -s $out/node2.crt ]] && exit 0

conf=$out/openssl.cnf
cat >"$conf" <<'CNF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ proxy ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:edgeproxy.bench.local, IP:127.0.0.51
[ node1 ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:cc-publisher.bench.local, DNS:cloudconnect.bench.local, IP:127.0.0.53
[ node2 ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:cc-subscriber.bench.local, DNS:cloudconnect.bench.local, IP:127.0.0.54
CNF

org="EdgeProxy Bench (LAB ONLY)"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key "$out/ca.key"
openssl req -x509 -new -sha256 -config "$conf" -extensions ca -key "$out/ca.key" -subj "/O=$org/CN=EdgeProxy Bench CA" \
  -days 3650 -out "$out/ca.crt"
for name in proxy node1 node2; do
  case $name in
    proxy) cn=edgeproxy.bench.local ;;
    node1) cn=cc-publisher.bench.local ;;
    node2) cn=cc-subscriber.bench.local ;;
  esac
  key "$out/$name.key"
  openssl req -new -sha256 -config "$conf" -key "$out/$name.key" -subj "/O=$org/CN=$cn" -out "$out/$name.csr"
  openssl x509 -req -sha256 -in "$out/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -days 3650 -extfile "$conf" -extensions "$name" -out "$out/$name.crt" 2>/dev/null
  rm -f "$out/$name.csr"
done
# HAProxy wants certificate and key in one file.
cat "$out/proxy.crt" "$out/proxy.key" >"$out/proxy.pem"
openssl verify -CAfile "$out/ca.crt" "$out/proxy.crt" "$out/node1.crt" "$out/node2.crt" >/dev/null
