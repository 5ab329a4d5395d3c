#!/usr/bin/env bash
# make-certs.sh - generate the EdgeProxy SAMPLE certificates (lab and tests only).
#
# Usage: ./make-certs.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to the directory this script lives in.
#
# Needs only openssl (1.1.1 or 3.x). Every file it writes is PUBLIC: the private
# keys are committed to the repository on purpose, so anyone can impersonate
# these identities. Never use them outside a lab. See README.md.
#
# Files written (all PEM; keys are unencrypted PKCS#8, ECDSA P-256):
#   ca.crt / ca.key                          sample CA ("EdgeProxy Sample CA")
#   cloudconnect-ca.crt                      a copy of ca.crt under the name the production env files use
#   proxy.crt / proxy.key                    EdgeProxy: inbound server cert AND client cert to the nodes
#   publisher.crt / publisher.key            Cloud Connect publisher node stand-in
#   subscriber.crt / subscriber.key          Cloud Connect subscriber node stand-in
#   rogue-ca.crt / rogue-ca.key              an unrelated CA ("Rogue CA")
#   rogue-publisher.crt / rogue-publisher.key  the publisher's names, signed by the rogue CA

set -euo pipefail

readonly SAMPLE_ORG="EdgeProxy Sample (LAB ONLY)"
readonly ROGUE_ORG="Not The Sample CA"
readonly CA_DAYS=3653    # 10 years (a day longer than the leaves, so no leaf outlives its CA)
readonly LEAF_DAYS=3650  # 10 years; the 825-day public-web limit does not apply to a private CA

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
out_dir="${1:-$script_dir}"

if ! command -v openssl >/dev/null 2>&1; then
    echo "make-certs.sh: openssl not found in PATH" >&2
    exit 1
fi

mkdir -p -- "$out_dir"
out_dir="$(cd -- "$out_dir" && pwd)"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/edgeproxy-certs.XXXXXX")"
cleanup() {
    rm -rf -- "$work_dir"
}
trap cleanup EXIT

# One openssl config holding every extension section; the -extensions/-extfile
# options below pick the section each certificate needs.
ext_conf="$work_dir/extensions.cnf"
cat >"$ext_conf" <<'EOF'
[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
# Unused: every subject is given with -subj.
CN = unused

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ proxy ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyAgreement
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:edgeproxy.lab.local, DNS:localhost, IP:127.0.0.1, IP:::1

[ publisher ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyAgreement
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:cc-publisher.lab.local, DNS:publisher, IP:127.0.0.11

[ subscriber ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyAgreement
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:cc-subscriber.lab.local, DNS:subscriber, IP:127.0.0.12
EOF

# new_key FILE: ECDSA P-256 private key, unencrypted PKCS#8 PEM.
new_key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# random_serial: positive 127-bit serial number in hex (RFC 5280 allows up to 20 octets).
random_serial() {
    local hex
    hex="$(openssl rand -hex 16)"
    # Clear the top bit so the DER INTEGER stays positive without padding.
    printf '0x%x%s' "$(( 0x${hex:0:1} & 7 ))" "${hex:1}"
}

# make_ca NAME SUBJECT: self-signed CA certificate NAME.crt with key NAME.key.
make_ca() {
    local name="$1" subject="$2"
    new_key "$out_dir/$name.key"
    openssl req -x509 -new -sha256 \
        -config "$ext_conf" -extensions v3_ca \
        -key "$out_dir/$name.key" \
        -subj "$subject" \
        -set_serial "$(random_serial)" \
        -days "$CA_DAYS" \
        -out "$out_dir/$name.crt"
}

# make_leaf NAME SUBJECT SECTION ISSUER: NAME.crt/NAME.key signed by ISSUER.crt/ISSUER.key,
# with the extensions of SECTION in the config above.
make_leaf() {
    local name="$1" subject="$2" section="$3" issuer="$4"
    local csr="$work_dir/$name.csr"
    new_key "$out_dir/$name.key"
    openssl req -new -sha256 \
        -config "$ext_conf" \
        -key "$out_dir/$name.key" \
        -subj "$subject" \
        -out "$csr"
    openssl x509 -req -sha256 \
        -in "$csr" \
        -CA "$out_dir/$issuer.crt" -CAkey "$out_dir/$issuer.key" \
        -set_serial "$(random_serial)" \
        -days "$LEAF_DAYS" \
        -extfile "$ext_conf" -extensions "$section" \
        -out "$out_dir/$name.crt" 2>/dev/null
}

echo "Generating EdgeProxy SAMPLE certificates (LAB ONLY) in $out_dir"

make_ca   ca              "/O=$SAMPLE_ORG/CN=EdgeProxy Sample CA"
make_leaf proxy           "/O=$SAMPLE_ORG/CN=edgeproxy.lab.local"     proxy      ca
make_leaf publisher       "/O=$SAMPLE_ORG/CN=cc-publisher.lab.local"  publisher  ca
make_leaf subscriber      "/O=$SAMPLE_ORG/CN=cc-subscriber.lab.local" subscriber ca

# The production env files name the node CA bundle cloudconnect-ca.crt: the same CA under that name, so
# certs-sample/ can stand in for /etc/edgeproxy/ssl with any env/ file.
cp "$out_dir/ca.crt" "$out_dir/cloudconnect-ca.crt"

make_ca   rogue-ca        "/O=$ROGUE_ORG/CN=Rogue CA"
# Same subject and SANs as publisher.crt: only the issuing CA differs.
make_leaf rogue-publisher "/O=$SAMPLE_ORG/CN=cc-publisher.lab.local"  publisher  rogue-ca

# These are public lab files (the keys are committed on purpose): world-readable.
for name in ca proxy publisher subscriber rogue-ca rogue-publisher; do
    chmod 0644 "$out_dir/$name.crt" "$out_dir/$name.key"
done
chmod 0644 "$out_dir/cloudconnect-ca.crt"

# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
echo
echo "Verifying against ca.crt:"
openssl verify -x509_strict -CAfile "$out_dir/ca.crt" \
    "$out_dir/proxy.crt" "$out_dir/publisher.crt" "$out_dir/subscriber.crt"
openssl verify -x509_strict -purpose sslserver -CAfile "$out_dir/ca.crt" "$out_dir/proxy.crt" >/dev/null
openssl verify -x509_strict -purpose sslclient -CAfile "$out_dir/ca.crt" "$out_dir/proxy.crt" >/dev/null
for node in publisher subscriber; do
    openssl verify -x509_strict -purpose sslserver -CAfile "$out_dir/ca.crt" "$out_dir/$node.crt" >/dev/null
done

if openssl verify -CAfile "$out_dir/ca.crt" "$out_dir/rogue-publisher.crt" >/dev/null 2>&1; then
    echo "ERROR: rogue-publisher.crt verifies against ca.crt; it must not" >&2
    exit 1
fi
echo "$out_dir/rogue-publisher.crt: rejected by ca.crt (as intended)"
openssl verify -x509_strict -CAfile "$out_dir/rogue-ca.crt" "$out_dir/rogue-publisher.crt" >/dev/null
echo "$out_dir/rogue-publisher.crt: OK against rogue-ca.crt"

# Each key must belong to its certificate.
for name in ca proxy publisher subscriber rogue-ca rogue-publisher; do
    cert_pub="$(openssl x509 -in "$out_dir/$name.crt" -noout -pubkey)"
    key_pub="$(openssl pkey -in "$out_dir/$name.key" -pubout)"
    if [[ "$cert_pub" != "$key_pub" ]]; then
        echo "ERROR: $name.key does not match $name.crt" >&2
        exit 1
    fi
done

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
echo
echo "Summary:"
for name in ca proxy publisher subscriber rogue-ca rogue-publisher; do
    crt="$out_dir/$name.crt"
    subject="$(openssl x509 -in "$crt" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
    issuer="$(openssl x509 -in "$crt" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')"
    not_after="$(openssl x509 -in "$crt" -noout -enddate | sed 's/^notAfter=//')"
    fingerprint="$(openssl x509 -in "$crt" -noout -fingerprint -sha256 | sed 's/^.*=//')"
    sans="$(openssl x509 -in "$crt" -noout -text \
        | awk '/X509v3 Subject Alternative Name/ { getline; gsub(/^[ \t]+/, ""); print }')"
    printf '  %-20s %s\n' "$name.crt" "$subject"
    printf '  %-20s issuer:    %s\n' "" "$issuer"
    if [[ -n "$sans" ]]; then
        printf '  %-20s SAN:       %s\n' "" "$sans"
    fi
    printf '  %-20s notAfter:  %s\n' "" "$not_after"
    printf '  %-20s SHA-256:   %s\n' "" "$fingerprint"
done
echo
echo "These files are for the lab and tests only. Their private keys are public."
