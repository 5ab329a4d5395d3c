#!/usr/bin/env bash
# docs/operations.md, "Rotating a certificate", run against the image: EdgeProxy in a container with the env and
# ssl directories mounted as the quick start mounts them, two simulators as the Cloud Connect nodes. A new proxy
# certificate is issued by the sample CA, put in place key first, each file by a rename, and the check is what the
# procedure says to check: event 1101, the new serial served, the new configuration version on /readyz and
# /reverseproxy_status, the new expiry in edgeproxy_certificate_expiry_timestamp_seconds, still ready.
# Usage: scripts/procedures/rotate-certificate.sh   (root, podman; EDGEPROXY_IMAGE, EDGEPROXY_SIMULATOR_IMAGE)
# Exit: 0 passed, 1 a check failed, 2 cannot run here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

work="$(mktemp -d /tmp/edgeproxy-rotate.XXXXXX)"
name="edgeproxy-$run_id-rotate"
trap 'stop_proxy "$name"; rm -rf "$work"' EXIT
mkdir -p "$work/env"
chmod 0755 "$work" "$work/env"
prepare_env "$root/env/webex-eu-london.env" "$work/env/cloudconnect.env"
prepare_ssl "$work/ssl"
start_proxy "$name" -v "$work/env:/etc/edgeproxy/env:ro" -v "$work/ssl:/etc/edgeproxy/ssl:ro" || { fail "rotate: containers did not start"; summary; exit; }
if ! wait_ready 60; then
  podman logs "$name" 2>&1 | tail -n 5
  fail "rotate: EdgeProxy was not ready within 60 s before the rotation ($(readyz))"
  summary; exit
fi
old_serial="$(served_serial)"
old_ready="$(readyz)"

# Step 2: a new pair for the same name, from the same CA (the simulators trust the sample CA for the client side).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/new.key" 2>/dev/null
openssl req -new -key "$work/new.key" -subj "/O=EdgeProxy Sample (LAB ONLY)/CN=edgeproxy.lab.local" -out "$work/new.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:edgeproxy.lab.local,DNS:localhost,IP:127.0.0.1,IP:::1\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/new.csr" -CA "$root/certs-sample/ca.crt" -CAkey "$root/certs-sample/ca.key" -set_serial "0x$(openssl rand -hex 15)" \
  -days 400 -extfile "$work/ext.cnf" -out "$work/new.crt" 2>/dev/null
new_serial="$(openssl x509 -in "$work/new.crt" -noout -serial)"
new_expiry="$(date -d "$(openssl x509 -in "$work/new.crt" -noout -enddate | sed 's/^notAfter=//')" +%s)"
[ "$(openssl x509 -in "$work/new.crt" -noout -pubkey)" = "$(openssl pkey -in "$work/new.key" -pubout)" ] || fail "rotate: the new key does not match the new certificate"

# Step 4: key first, each by a rename.
before="$(events "$name" 1101 | wc -l)"
install -m 0640 -g 10001 "$work/new.key" "$work/ssl/.proxy.key.new" && mv "$work/ssl/.proxy.key.new" "$work/ssl/proxy.key"
install -m 0644 "$work/new.crt" "$work/ssl/.proxy.crt.new" && mv "$work/ssl/.proxy.crt.new" "$work/ssl/proxy.crt"

# Step 5: event 1101 "changed certificate files".
if wait_event "$name" 1101 10 "certificate files" "$before"; then
  pass "rotate: event 1101 'changed certificate files' after the two renames"
else
  podman logs "$name" 2>&1 | tail -n 5
  fail "rotate: no event 1101 naming certificate files within 10 s"
fi

# Step 6: what the procedure says to check.
served="$(served_serial)"
if [ "$served" = "$new_serial" ] && [ "$served" != "$old_serial" ]; then
  pass "rotate: openssl s_client sees the new certificate ($served; was $old_serial)"
else
  fail "rotate: openssl s_client sees '$served', expected the new $new_serial (old $old_serial)"
fi
new_ready="$(readyz)"
version="$(sed -n 's/^ready: configuration \([0-9a-f]*\),.*/\1/p' <<<"$new_ready")"
status="$(in_netns curl -sS --max-time 3 http://127.0.0.1:10001/reverseproxy_status)"
if [[ "$new_ready" == ready:* ]] && [ -n "$version" ] && [ "$new_ready" != "$old_ready" ] && grep -q "\"version\": \"$version\"" <<<"$status"; then
  pass "rotate: /readyz ready with the new configuration version $version, the same in /reverseproxy_status (was: $old_ready)"
else
  fail "rotate: /readyz '$new_ready' (before: '$old_ready'), version '$version' in /reverseproxy_status: $(grep -c "\"version\": \"$version\"" <<<"$status")"
fi
metric="$(in_netns curl -sS --max-time 3 http://127.0.0.1:10001/metrics | grep '^edgeproxy_certificate_expiry_timestamp_seconds{certificate="server"')"
if [ "$(awk '{ printf "%d", $NF }' <<<"$metric")" = "$new_expiry" ]; then
  pass "rotate: edgeproxy_certificate_expiry_timestamp_seconds{certificate=\"server\"} is the new NotAfter ($new_expiry)"
else
  fail "rotate: expiry metric '$metric', expected $new_expiry"
fi
summary
