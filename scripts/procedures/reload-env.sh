#!/usr/bin/env bash
# docs/operations.md, "Changing the env file and reloading", run against the image: an edit through a directory
# mount is applied by itself (event 1101 naming the key), SIGHUP through the runtime (podman kill --signal HUP)
# re-reads the files (1106 when nothing changed), a restart-only key is reported (1103), and a single-file mount
# replaced by rename on the host is never seen, not even after SIGHUP (the container keeps the old inode).
# Usage: scripts/procedures/reload-env.sh   (root, podman; EDGEPROXY_IMAGE, EDGEPROXY_SIMULATOR_IMAGE)
# Exit: 0 passed, 1 a check failed, 2 cannot run here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

work="$(mktemp -d /tmp/edgeproxy-reload.XXXXXX)"
name="edgeproxy-$run_id-reload"
single="edgeproxy-$run_id-single"
trap 'stop_proxy "$name"; podman rm -f -t 0 "$single" >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/env" "$work/single"
chmod 0755 "$work" "$work/env" "$work/single"
prepare_env "$root/env/webex-eu-london.env" "$work/env/cloudconnect.env"
prepare_ssl "$work/ssl"
start_proxy "$name" -v "$work/env:/etc/edgeproxy/env:ro" -v "$work/ssl:/etc/edgeproxy/ssl:ro" || { fail "reload: containers did not start"; summary; exit; }
wait_ready 60 || { fail "reload: EdgeProxy was not ready within 60 s ($(readyz))"; summary; exit; }

# An editor's save (sed -i renames into place) in the mounted directory: applied within about 1 s.
before="$(events "$name" 1101 | wc -l)"
started=$SECONDS
sed -i 's/^NGX_CLOUDCONNECT_CLIENT_IPS="\(.*\)"$/NGX_CLOUDCONNECT_CLIENT_IPS="\1|127.0.0.99"/' "$work/env/cloudconnect.env"
if wait_event "$name" 1101 10 NGX_CLOUDCONNECT_CLIENT_IPS "$before"; then
  pass "reload: directory mount, file replaced by rename -> event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS after $((SECONDS - started)) s"
else
  fail "reload: directory mount -> no event 1101 within 10 s"
fi

# SIGHUP through the runtime with unchanged files: 1106.
before="$(events "$name" 1106 | wc -l)"
podman kill --signal HUP "$name" >/dev/null
if wait_event "$name" 1106 10 SIGHUP "$before"; then
  pass "reload: podman kill --signal HUP -> event 1106 (files unchanged, version stays)"
else
  fail "reload: podman kill --signal HUP -> no event 1106 within 10 s"
fi

# A restart-only key: 1103, and the running value stays.
before="$(events "$name" 1103 | wc -l)"
sed -i 's/^NGX_PRXY_CLOUDCONNECT_HOSTNAME=.*/NGX_PRXY_CLOUDCONNECT_HOSTNAME=other.lab.local/' "$work/env/cloudconnect.env"
if wait_event "$name" 1103 10 NGX_PRXY_CLOUDCONNECT_HOSTNAME "$before"; then
  pass "reload: a restart-only key (NGX_PRXY_CLOUDCONNECT_HOSTNAME) -> event 1103 'restart required'"
else
  fail "reload: NGX_PRXY_CLOUDCONNECT_HOSTNAME changed -> no event 1103 within 10 s"
fi

# A single-file mount replaced by rename on the host: never seen, SIGHUP included.
prepare_env "$root/env/webex-eu-london.env" "$work/single/eu.env"
podman run -d --name "$single" --network none --sysctl net.ipv4.ip_unprivileged_port_start=443 --health-interval=disable \
  "${hardening[@]}" -v "$work/single/eu.env:/etc/edgeproxy/env/cloudconnect.env:ro" -v "$work/ssl:/etc/edgeproxy/ssl:ro" "$image" >/dev/null
started=$SECONDS
until grep -q '"Id":1009,' <<<"$(podman logs "$single" 2>&1)"; do
  ((SECONDS - started < 60)) || break
  sleep 0.5
done
sed -i 's/^NGX_CLOUDCONNECT_CLIENT_IPS="\(.*\)"$/NGX_CLOUDCONNECT_CLIENT_IPS="\1|127.0.0.98"/' "$work/single/eu.env"
sleep 7 # longer than the 5 s periodic read
podman kill --signal HUP "$single" >/dev/null
sleep 2
if [ -z "$(events "$single" 1101)" ] && [[ "$(events "$single" 1106)" == *SIGHUP* ]]; then
  pass "reload: single-file mount replaced by rename -> no reload in 7 s, and SIGHUP finds the files unchanged (1106): the container keeps the old file"
else
  fail "reload: single-file mount replaced by rename -> 1101: '$(events "$single" 1101 | head -c 200)', 1106: '$(events "$single" 1106 | head -c 200)'"
fi
summary
