# Shared by scripts/procedures/*.sh and scripts/docs-check.sh (sourced, not run). The procedures of
# docs/operations.md run against the EdgeProxy image in containers, the way an operator runs them, and check
# their outcome. Everything runs in a private network namespace (loopback only), so nothing clashes with a lab or
# another test on this machine.

set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="${EDGEPROXY_IMAGE:-localhost/edgeproxy:container-test}"
simulator_image="${EDGEPROXY_SIMULATOR_IMAGE:-localhost/edgeproxy-simulator:container-test}"
run_id="${run_id:-dc$$}"
# runc, not crun, and explicit rlimits: what podman needs on machines whose cgroup set-up crun rejects
# (the same settings as scripts/container-test.sh, through containers.conf so the documented commands stay as written).
if [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$(mktemp /tmp/edgeproxy-containers.XXXXXX.conf)"
  printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
fi
hardening=(--read-only --cap-drop ALL --security-opt no-new-privileges)

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# cannot_run REASON: exit 2, the contract of scripts/container-test.sh.
cannot_run() { echo "$(basename "$0"): cannot run: $*"; exit 2; }

# in_private_netns "$@": re-runs the calling script in a new network namespace with loopback up (root only).
in_private_netns() {
  [ "$(uname -s)" = Linux ] || cannot_run "needs Linux"
  [ "$(id -u)" -eq 0 ] || cannot_run "needs root (rootful podman, a private network namespace)"
  for tool in podman unshare nsenter curl openssl; do
    command -v "$tool" >/dev/null || cannot_run "$tool is not installed"
  done
  podman image exists "$image" || cannot_run "image $image not found (scripts/container-test.sh builds it; or set EDGEPROXY_IMAGE)"
  if [ -z "${EDGEPROXY_PRIVATE_NETNS:-}" ]; then
    EDGEPROXY_PRIVATE_NETNS=1 exec unshare --net bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
  fi
}

# prepare_env FILE OUT: a copy of an env/ file as the quick start leaves it, pointed at the simulators on
# 127.0.0.11/12 (their sample certificates carry those addresses), admitting loopback clients.
prepare_env() {
  sed -e 's/^NGX_PRXY_CLOUDCONNECT_HOSTNAME=.*/NGX_PRXY_CLOUDCONNECT_HOSTNAME=edgeproxy.lab.local/' \
      -e 's/^NGX_CLOUDCONNECT_HOSTNAME=.*/NGX_CLOUDCONNECT_HOSTNAME=127.0.0.11:8445/' \
      -e 's/^NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=.*/NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=127.0.0.12:8445/' \
      -e 's/^PROXY_BINDING_INTERNAL_IP=.*/PROXY_BINDING_INTERNAL_IP=0.0.0.0/' \
      -e 's/^NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=.*/NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=1000/' \
      "$1" >"$2"
  # The lab's clients are local; the data centre's own list stays in front so a swap still changes the value.
  sed -i 's/^NGX_CLOUDCONNECT_CLIENT_IPS="\{0,1\}\([^"]*\)"\{0,1\}$/NGX_CLOUDCONNECT_CLIENT_IPS="\1|127.0.0.1|::1"/' "$2"
  chmod 0644 "$2"
}

# prepare_ssl DIR: the sample certificates under the production names, the key readable by uid 10001 only.
prepare_ssl() {
  mkdir -p "$1"
  cp "$root/certs-sample/proxy.crt" "$root/certs-sample/proxy.key" "$root/certs-sample/cloudconnect-ca.crt" "$1/"
  chown root:10001 "$1/proxy.key" && chmod 0640 "$1/proxy.key"
  chmod 0644 "$1/proxy.crt" "$1/cloudconnect-ca.crt"
  chmod 0755 "$1"
}

# start_proxy NAME MOUNTS...: EdgeProxy as the quick start runs it, in its own network namespace (--network none),
# reached through nsenter; then the two simulators in that namespace. Sets $pid.
start_proxy() {
  local name=$1
  shift
  podman run -d --name "$name" --network none --sysctl net.ipv4.ip_unprivileged_port_start=443 \
    --health-interval=disable "${hardening[@]}" "$@" "$image" >/dev/null || return 1
  pid="$(podman inspect "$name" --format '{{.State.Pid}}')"
  local node address
  for node in publisher subscriber; do
    address=127.0.0.11
    [ "$node" = subscriber ] && address=127.0.0.12
    podman run -d --name "$name-$node" --network "container:$name" "${hardening[@]}" -v "$root/certs-sample:/certs:ro" \
      "$simulator_image" --node-name "$node" --listen "$address:8445" --admin "$address:18445" \
      --cert "/certs/$node.crt" --key "/certs/$node.key" --client-ca /certs/ca.crt \
      $([ "$node" = subscriber ] && echo --standby) >/dev/null || return 1
  done
}

stop_proxy() { podman rm -f -t 0 "$1-subscriber" "$1-publisher" >/dev/null 2>&1; podman rm -f -t 0 "$1" >/dev/null 2>&1; return 0; }

in_netns() { nsenter --net="/proc/$pid/ns/net" "$@"; }
readyz() { in_netns curl -sS --max-time 3 http://127.0.0.1:10001/readyz 2>/dev/null; }

# wait_ready SECONDS: until /readyz answers "ready: ...".
wait_ready() {
  local started=$SECONDS
  while ((SECONDS - started < $1)); do
    [[ "$(readyz)" == ready:* ]] && return 0
    sleep 1
  done
  return 1
}

# events NAME ID: the log lines of event ID so far.
# The log is read whole first: with pipefail, a reader that stops early (grep -q) would fail the pipeline by SIGPIPE.
events() { local log; log="$(podman logs "$1" 2>&1)"; grep -F "\"EventId\":{\"Id\":$2," <<<"$log"; }

# wait_event NAME ID SECONDS PATTERN [BEFORE]: until a line of event ID after the first BEFORE ones matches PATTERN.
wait_event() {
  local started=$SECONDS
  while ((SECONDS - started < $3)); do
    [[ "$(events "$1" "$2" | tail -n +"$((${5:-0} + 1))")" == *"$4"* ]] && return 0
    sleep 0.5
  done
  return 1
}

served_serial() {
  in_netns openssl s_client -connect 127.0.0.1:443 -servername edgeproxy.lab.local </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null
}

summary() {
  echo "$(basename "$0" .sh): $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
