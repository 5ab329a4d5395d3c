#!/usr/bin/env bash
# docs/operations.md, "Swapping data centres", run against the image: `check` validates every data-centre file of
# env/ as the quick start prepares it, then a running EdgeProxy (EU London) gets the US file in its mounted
# directory and applies the new client list by itself (event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS, a new
# configuration version on /readyz).
# Usage: scripts/procedures/swap-data-centre.sh   (root, podman; EDGEPROXY_IMAGE, EDGEPROXY_SIMULATOR_IMAGE)
# Exit: 0 passed, 1 a check failed, 2 cannot run here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

work="$(mktemp -d /tmp/edgeproxy-swap.XXXXXX)"
name="edgeproxy-$run_id-swap"
trap 'stop_proxy "$name"; rm -rf "$work"' EXIT
chmod 0755 "$work"
prepare_ssl "$work/ssl"

for file in "$root"/env/cloudconnect.env "$root"/env/webex-*.env; do
  dc="$(basename "$file" .env)"
  mkdir -p "$work/check-$dc"
  chmod 0755 "$work/check-$dc"
  prepare_env "$file" "$work/check-$dc/cloudconnect.env"
  if output="$(podman run --rm --network none --read-only --cap-drop ALL -v "$work/check-$dc:/etc/edgeproxy/env:ro" \
    -v "$work/ssl:/etc/edgeproxy/ssl:ro" "$image" check --env-dir /etc/edgeproxy/env 2>&1)" && grep -q '^configuration is valid' <<<"$output"; then
    pass "swap: check --env-dir with $dc.env -> valid ($(grep '^NGX_CLOUDCONNECT_CLIENT_IPS' <<<"$output" | tr -s ' ' | cut -c1-90))"
  else
    tail -n 5 <<<"$output"
    fail "swap: check --env-dir with $dc.env did not validate"
  fi
done

mkdir -p "$work/env"
chmod 0755 "$work/env"
cp "$work/check-webex-eu-london/cloudconnect.env" "$work/env/cloudconnect.env"
start_proxy "$name" -v "$work/env:/etc/edgeproxy/env:ro" -v "$work/ssl:/etc/edgeproxy/ssl:ro" || { fail "swap: containers did not start"; summary; exit; }
wait_ready 60 || { fail "swap: EdgeProxy was not ready within 60 s ($(readyz))"; summary; exit; }
old_ready="$(readyz)"
before="$(events "$name" 1101 | wc -l)"
cp "$work/check-webex-us/cloudconnect.env" "$work/env/.cloudconnect.env.new" && mv "$work/env/.cloudconnect.env.new" "$work/env/cloudconnect.env"
if wait_event "$name" 1101 10 NGX_CLOUDCONNECT_CLIENT_IPS "$before" && [[ "$(readyz)" == ready:* && "$(readyz)" != "$old_ready" ]]; then
  pass "swap: EU London -> US in the mounted directory: event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS, new version ($(readyz))"
else
  fail "swap: no event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS, or /readyz unchanged ('$old_ready' -> '$(readyz)')"
fi
summary
