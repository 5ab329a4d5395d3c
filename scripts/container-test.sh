#!/usr/bin/env bash
# Builds the real Dockerfile and runs the image the way production does (non-root uid 10001, read-only
# root filesystem, every capability dropped, no-new-privileges, env and certificates mounted read-only),
# next to a publisher and a subscriber simulator from the image's simulator target, then checks it:
# a task through EdgeProxy on Cisco's default port 443, the health check, failover, a clean SIGTERM stop.
# Then the pair: HAProxy in front of two EdgeProxy containers in a pod, a rolling restart and a SIGKILL under load.
# Then deploy/kubernetes: its checks, and its pod template played by `podman kube play` (traffic, ConfigMap reload).
#
# Needs root, podman, buildah, runc and debootstrap (no Docker engine), curl, nsenter, and the .NET 10
# SDK on this machine when the .NET base images are missing (scripts/make-base-images.sh makes
# stand-ins); HAProxy and the .NET SDK for the pair (its load generator); python3 with PyYAML (python3-yaml)
# for the Kubernetes part, and npm for its schema check (each NOT CHECKED without). Nothing is installed silently.
#
# Everything runs in a private network namespace owned by the EdgeProxy container (loopback only, so
# nothing clashes with the lab or other tests on this machine): the simulators join it, and this
# script's curl enters it with nsenter. Port 443 is bound as uid 10001 with no capability at all,
# through the namespace's net.ipv4.ip_unprivileged_port_start (docs/operations.md, "Port 443 without root").
#
# Usage: scripts/container-test.sh [--require-failover]
#   --require-failover  a proxy without active-node failover FAILS the failover check instead of
#                       reporting it NOT CHECKED
# Prints PASS / FAIL / NOT CHECKED per check, then "container-test: N passed, N failed, N not checked".
# Exit: 0 no check failed, 1 a check failed, 2 cannot run here (what is missing is printed).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/pair.sh
require_failover=false
for arg in "$@"; do
  case "$arg" in
    --require-failover) require_failover=true ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "container-test: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# --- prerequisites -----------------------------------------------------------------------------------
missing=()
for tool in podman buildah runc debootstrap curl nsenter python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "container-test: cannot run: not installed: ${missing[*]}"
  echo "container-test: install with: apt-get install -y podman buildah runc debootstrap curl util-linux python3-yaml"
  exit 2
fi
# The first python3 that has PyYAML: the one on PATH (may be a pyenv build without Debian's packages), else Debian's.
python=python3
python3 -c 'import yaml' 2>/dev/null || { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null && python=/usr/bin/python3; }
if ! "$python" -c 'import yaml' 2>/dev/null; then
  echo "container-test: cannot run: python3 has no PyYAML (apt-get install -y python3-yaml)"
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "container-test: cannot run: needs root (rootful podman, debootstrap, nsenter into the test's network namespace)"
  exit 2
fi

run_id="ct$$"
work="$(mktemp -d /tmp/edgeproxy-container-test.XXXXXX)"
proxy="edgeproxy-$run_id"
publisher="edgeproxy-$run_id-publisher"
subscriber="edgeproxy-$run_id-subscriber"
single_proxy="edgeproxy-$run_id-single-file"
pair_pod="edgeproxy-$run_id-pair" # its containers: $pair_pod-a, -b, -publisher, -subscriber
pair_pids=() # HAProxy and the load generator of the pair check, while they run
kube_suffix="-$run_id-kube" # podman names the played pod edgeproxy$kube_suffix, its containers edgeproxy$kube_suffix-NAME
image=localhost/edgeproxy:container-test
simulator_image=localhost/edgeproxy-simulator:container-test
# runc, not crun, and explicit rlimits: what works on machines whose cgroup set-up crun rejects.
podman_run=(podman --runtime runc run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
# The same for the containers podman makes itself (a pod's infra container, kube play's): CONTAINERS_CONF="$containers_conf".
containers_conf="$work/containers.conf"
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' >"$containers_conf"

# The production hardening, applied to every container of the test.
hardening=(--read-only --cap-drop ALL --security-opt no-new-privileges)

passed=0 failed=0 not_checked=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
not_checked() { not_checked=$((not_checked + 1)); echo "NOT CHECKED  $* (this is not a pass)"; }
say() { echo "container-test: $*"; }
elapsed() { echo "$((SECONDS - $1)) s"; }

cleanup() {
  [ -f "$work/kube-play.yaml" ] && podman kube down "$work/kube-play.yaml" >/dev/null 2>&1
  podman volume rm -f "edgeproxy-env$kube_suffix" >/dev/null 2>&1 # kube down leaves the ConfigMap's volume
  # The simulators share the proxy container's network namespace: podman removes them first or not at all.
  # One name per call: podman 4.3 removes nothing of a list that names a container already gone.
  local container
  for container in "$subscriber" "$publisher" "$proxy" "$single_proxy"; do
    podman rm -f -t 0 "$container" >/dev/null 2>&1
  done
  ((${#pair_pids[@]})) && kill "${pair_pids[@]}" 2>/dev/null
  podman pod rm -f "$pair_pod" >/dev/null 2>&1
  podman image unmount "$image" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

summary() {
  echo "container-test: $passed passed, $failed failed, $not_checked not checked"
  [ "$failed" -eq 0 ]
  exit $?
}

# --- images --------------------------------------------------------------------------------------------
started=$SECONDS
if ! scripts/make-base-images.sh >"$work/base-images.log" 2>&1; then
  cat "$work/base-images.log"
  fail "base images: the .NET base images are missing and no stand-in could be made"
  summary
fi
grep -q 'made (stand-in)' "$work/base-images.log" && say "made stand-in base images in $(elapsed "$started")"

version="$(git describe --always --dirty 2>/dev/null || echo dev)"
build=(buildah bud --isolation chroot --pull=never --network host --format docker --layers
  --build-arg "VERSION=$version" --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)")
started=$SECONDS
if "${build[@]}" -t "$image" . >"$work/build.log" 2>&1; then
  pass "build: Dockerfile default target -> $image ($(elapsed "$started"))"
else
  tail -n 30 "$work/build.log"
  fail "build: Dockerfile default target"
  summary
fi
started=$SECONDS
if "${build[@]}" --target simulator -t "$simulator_image" . >"$work/build-simulator.log" 2>&1; then
  pass "build: Dockerfile target simulator -> $simulator_image ($(elapsed "$started"))"
else
  tail -n 30 "$work/build-simulator.log"
  fail "build: Dockerfile target simulator"
  summary
fi

# --- what the image declares and holds -----------------------------------------------------------------
config="$(podman image inspect "$image" --format \
  '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}|{{.Config.StopSignal}}|{{json .Config.ExposedPorts}}|{{json .HealthCheck}}')"
labels="$(podman image inspect "$image" --format '{{json .Labels}}')"
problems=()
IFS='|' read -r user entrypoint cmd stop_signal ports healthcheck <<<"$config"
[ "$user" = "10001:10001" ] || problems+=("USER is '$user', not 10001:10001")
[ "$entrypoint" = '["/app/EdgeProxy"]' ] || problems+=("ENTRYPOINT is $entrypoint")
[ "$cmd" = '["serve","--env-dir","/etc/edgeproxy/env"]' ] || problems+=("CMD is $cmd")
[ "$stop_signal" = SIGTERM ] || problems+=("STOPSIGNAL is '$stop_signal'")
[[ "$ports" == *'"443/tcp"'* && "$ports" == *'"10001/tcp"'* ]] || problems+=("EXPOSE is $ports")
[[ "$healthcheck" == *'"CMD","/app/EdgeProxy","health","--env-dir","/etc/edgeproxy/env"'* ]] || problems+=("HEALTHCHECK is $healthcheck")
for label in source version licenses revision; do
  [[ "$labels" == *"\"org.opencontainers.image.$label\":\""?* ]] || problems+=("label org.opencontainers.image.$label is missing")
done
if ((${#problems[@]})); then
  fail "image config: ${problems[*]}"
else
  pass "image config: USER 10001:10001, ENTRYPOINT/CMD serve --env-dir /etc/edgeproxy/env, HEALTHCHECK via EdgeProxy health (exec form), STOPSIGNAL SIGTERM, EXPOSE 443 10001, OCI labels"
fi

if mnt="$(podman image mount "$image" 2>"$work/mount.log")"; then
  problems=()
  # Owned by root and writable only by root: uid 10001 cannot change what it runs. No setuid/setgid bits.
  bad="$(find "$mnt/app" \( ! -user 0 -o ! -group 0 -o -perm /0022 -o -perm /6000 \) -printf '%M %u:%g %P\n' | head -n 5)"
  [ -z "$bad" ] || problems+=("/app has files not root-owned, group/other-writable or setuid: $bad")
  # No keys, certificates or env files outside the system CA store; no PEM private key anywhere.
  baked="$(find "$mnt" \( -path "$mnt/etc/ssl" -o -path "$mnt/usr/share/ca-certificates" -o -path "$mnt/usr/share/doc" -o -path "$mnt/proc" \) -prune \
    -o -type f \( -name '*.key' -o -name '*.crt' -o -name '*.pem' -o -name '*.pfx' -o -name '*.p12' -o -name '*.env' \) -printf '/%P\n' | head -n 5)"
  [ -z "$baked" ] || problems+=("certificate, key or env files in the image: $baked")
  keys="$(grep -rlI --exclude-dir=proc -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' "$mnt" 2>/dev/null | sed "s|^$mnt||" | head -n 5)"
  [ -z "$keys" ] || problems+=("PEM private keys in the image: $keys")
  [ -d "$mnt/etc/edgeproxy/env" ] && [ -d "$mnt/etc/edgeproxy/ssl" ] && [ -z "$(find "$mnt/etc/edgeproxy" -mindepth 2)" ] \
    || problems+=("/etc/edgeproxy/env and /ssl are not empty mount points")
  [ ! -e "$mnt/src" ] || problems+=("/src (build sources) is in the runtime image")
  podman image unmount "$image" >/dev/null
  if ((${#problems[@]})); then
    fail "image contents: ${problems[*]}"
  else
    pass "image contents: /app root-owned, not writable by uid 10001, no setuid; no keys, certificates, env files or sources baked in"
  fi
else
  cat "$work/mount.log"
  fail "image contents: cannot mount the image to inspect it"
fi

# --- configuration: env/lab.env with Cisco's default port (its 8443 line removed) on all interfaces ---
mkdir -p "$work/env"
sed -e '/^NGX_PRXY_CLOUDCONNECT_PORT=/d' -e 's/^PROXY_BINDING_IP=.*/PROXY_BINDING_IP=/' env/lab.env >"$work/env/cloudconnect.env"
chmod -R a+rX "$work"
mounts=(-v "$work/env:/etc/edgeproxy/env:ro" -v "$root/certs-sample:/etc/edgeproxy/ssl:ro" -e LAB_CERTS_DIR=/etc/edgeproxy/ssl)

if output="$("${podman_run[@]}" --rm --network none "${hardening[@]}" "${mounts[@]}" "$image" check --env-dir /etc/edgeproxy/env 2>&1)" \
  && grep -q '^NGX_PRXY_CLOUDCONNECT_PORT *= 443  # default' <<<"$output"; then
  pass "check: 'EdgeProxy check' in the image validates the mounted env and certificates (port 443 is Cisco's default)"
else
  echo "$output" | tail -n 20
  fail "check: 'EdgeProxy check' in the image did not validate the mounted configuration"
fi

# --- run -----------------------------------------------------------------------------------------------
# The proxy's container owns a private network namespace; 443 is unprivileged in it (and only in it).
# --health-interval=disable: podman's health timer needs systemd; the image's check is run on demand below.
if ! "${podman_run[@]}" -d --name "$proxy" --network none --sysctl net.ipv4.ip_unprivileged_port_start=443 \
  --health-interval=disable "${hardening[@]}" "${mounts[@]}" "$image" >"$work/run.log" 2>&1; then
  cat "$work/run.log"
  fail "run: the EdgeProxy container did not start"
  summary
fi
pid="$(podman inspect "$proxy" --format '{{.State.Pid}}')"
in_netns() { nsenter --net="/proc/$pid/ns/net" "$@"; }

start_node() { # container where name address extra...: WHERE is --network=container:NAME or --pod=NAME
  local container=$1 where=$2 name=$3 address=$4
  shift 4
  "${podman_run[@]}" -d --name "$container" "$where" "${hardening[@]}" \
    -v "$root/certs-sample:/certs:ro" "$simulator_image" --node-name "$name" --listen "$address:8445" --admin "$address:18445" \
    --cert "/certs/$name.crt" --key "/certs/$name.key" --client-ca /certs/ca.crt "$@" >>"$work/run.log" 2>&1
}
start_node "$publisher" "--network=container:$proxy" publisher 127.0.0.11
start_node "$subscriber" "--network=container:$proxy" subscriber 127.0.0.12 --standby

# Healthy within 30 s: `podman healthcheck run` runs the image's HEALTHCHECK command in the container.
started=$SECONDS
healthy=false
while ((SECONDS - started <= 30)) && [ "$(podman inspect "$proxy" --format '{{.State.Running}}')" = true ]; do
  if podman healthcheck run "$proxy" >>"$work/health.log" 2>&1; then
    healthy=true
    break
  fi
  sleep 0.5
done
health="$(podman inspect "$proxy" --format '{{range .State.Health.Log}}{{println .Output}}{{end}}' 2>&1 | grep . | tail -n 1)"
for address in 127.0.0.11 127.0.0.12; do
  for ((i = 0; i < 60; i++)); do
    in_netns bash -c "exec 3<>/dev/tcp/$address/8445" 2>/dev/null && break
    sleep 0.5
  done
done

status="$(grep -E '^(Uid|CapEff|CapPrm|CapAmb|NoNewPrivs):' "/proc/$pid/status" 2>/dev/null | tr -s '\t' ' ' | paste -sd ';')"
readonly_root="$(podman inspect "$proxy" --format '{{.HostConfig.ReadonlyRootfs}}')"
logs="$(podman logs "$proxy" 2>&1)"
if [[ "$status" == "Uid: 10001 10001 10001 10001;CapPrm: 0000000000000000;CapEff: 0000000000000000;CapAmb: 0000000000000000;NoNewPrivs: 1" ]] \
  && [ "$readonly_root" = true ] && grep -q 'Now listening on: \\"https://\[::\]:443\\"' <<<"$logs"; then
  pass "run: serving https on 443 as uid 10001 (PID 1: $(podman top "$proxy" user pid | awk 'NR==2 { print $1 }')), no capabilities, no-new-privileges, read-only root"
else
  echo "$logs" | tail -n 20
  fail "run: expected uid 10001, no capabilities, read-only root and a listener on 443; got '$status', read-only=$readonly_root"
fi

# The image's OPENSSL_CONF is EdgeProxy's own file, so OpenSSL enforces the cipher policy (event 1004).
if grep -q '"Enforcer":"OpenSSL (OPENSSL_CONF=/app/openssl-edgeproxy.cnf)' <<<"$logs"; then
  pass "tls policy: OpenSSL enforces ECDHE + AEAD from /app/openssl-edgeproxy.cnf (TLS contexts cached)"
else
  grep -F '"EventId":{"Id":1004' <<<"$logs" || true
  fail "tls policy: start-up event 1004 does not say OpenSSL enforces the policy from /app/openssl-edgeproxy.cnf"
fi

if $healthy && [[ "$health" == healthy:* ]] && exec_health="$(podman exec "$proxy" /app/EdgeProxy health --env-dir /etc/edgeproxy/env 2>&1)" \
  && [[ "$exec_health" == "healthy: http://127.0.0.1:10001/healthz answered 200 OK" ]]; then
  pass "healthcheck: podman healthcheck run -> '$health'; podman exec /app/EdgeProxy health (no shell) -> exit 0"
else
  fail "healthcheck: podman healthcheck run -> healthy=$healthy, last output '$health'; EdgeProxy health -> '${exec_health:-not run}'"
fi

# --- traffic through EdgeProxy -------------------------------------------------------------------------
# post_task TRACKING-ID: prints the HTTP status of a task created through EdgeProxy on 443.
post_task() {
  in_netns curl -sS -o "$work/task.json" -w '%{http_code}' --max-time 10 --cacert "$root/certs-sample/ca.crt" \
    --resolve edgeproxy.lab.local:443:127.0.0.1 -H 'Content-Type: application/json' -H "TrackingID: $1" \
    -d '{"mediaType":"chat","name":"container test"}' https://edgeproxy.lab.local/drapi/v1/tasks 2>>"$work/curl.log"
}
# node_saw ADDRESS TRACKING-ID: did the simulator at ADDRESS record a request with that tracking id?
node_saw() { [[ "$(in_netns curl -sS --max-time 5 "http://$1:18445/admin/requests" 2>>"$work/curl.log")" == *"\"$2\""* ]]; }
node_mode() { in_netns curl -sS --max-time 5 -X POST "http://$1:18445/admin/mode/$2" -o /dev/null 2>>"$work/curl.log"; }

# Ready (/readyz 200) once the probes found the active node: the simulators started after EdgeProxy, so its
# first probe round may have found nobody, and an unreachable node needs RISE good probes.
started=$SECONDS
until in_netns curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:10001/readyz 2>>"$work/curl.log"; do
  ((SECONDS - started < 30)) || break
  sleep 0.5
done
code="$(post_task "$run_id-task")"
if [ "$code" = 201 ] && node_saw 127.0.0.11 "$run_id-task" && ! node_saw 127.0.0.12 "$run_id-task"; then
  pass "traffic: a task created through EdgeProxy on 443 reached the active publisher over mutual TLS (201)"
else
  fail "traffic: task creation through EdgeProxy answered '$code' ($(head -c 300 "$work/task.json" 2>/dev/null)); publisher saw it: $(node_saw 127.0.0.11 "$run_id-task" && echo yes || echo no)"
fi

# --- failover: make the subscriber the active Digital Routing node and see traffic follow --------------
# A proxy with active-node failover publishes the nodes and the active one on /reverseproxy_status (docs/operations.md,
# "Status listener"); one without it answers 404 there and sends DR traffic to the publisher only.
node_mode 127.0.0.11 standby && node_mode 127.0.0.12 active
status_code="$(in_netns curl -sS -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:10001/reverseproxy_status 2>>"$work/curl.log")"
started=$SECONDS
followed=false
attempt=0
while ((SECONDS - started < 30)); do
  attempt=$((attempt + 1))
  code="$(post_task "$run_id-failover-$attempt")"
  if [ "$code" = 201 ] && node_saw 127.0.0.12 "$run_id-failover-$attempt"; then
    followed=true
    break
  fi
  [ "$status_code" = 404 ] && break # no failover to wait for: one request shows where DR traffic goes
  sleep 1
done
if $followed; then
  pass "failover: publisher standby, subscriber active -> the next tasks went to the subscriber (after $(elapsed "$started"))"
elif [ "$status_code" = 404 ] && ! $require_failover; then
  not_checked "failover: this EdgeProxy has no active-node failover (/reverseproxy_status answers 404); with the publisher standby, DR traffic still went to the publisher (answered $code)"
else
  fail "failover: with the publisher standby and the subscriber active, tasks did not reach the subscriber within 30 s (last answer $code, /reverseproxy_status $status_code)"
fi

# --- SIGTERM -------------------------------------------------------------------------------------------
started=$SECONDS
podman stop --time 30 "$proxy" >/dev/null 2>&1
exit_code="$(podman inspect "$proxy" --format '{{.State.ExitCode}}')"
if [ "$exit_code" = 0 ] && grep -q 'Application is shutting down' <<<"$(podman logs "$proxy" 2>&1)"; then
  pass "stop: podman stop (SIGTERM) -> EdgeProxy shut down cleanly, exit code 0 ($(elapsed "$started"))"
else
  podman logs "$proxy" 2>&1 | tail -n 10
  fail "stop: podman stop (SIGTERM) -> exit code $exit_code"
fi
podman stop --time 10 "$subscriber" "$publisher" >/dev/null 2>&1

# --- hot reload through a single-file bind mount ---------------------------------------------------------
# The simplest container form mounts one env file (docs/operations.md, "Changing the env file and reloading"). Inside the container no directory event is seen for an
# in-place write to it, so only EdgeProxy's periodic read of its files (every 5 s) can pick the change up.
single="$work/single.env"
cp "$work/env/cloudconnect.env" "$single"
chmod a+r "$single"
"${podman_run[@]}" -d --name "$single_proxy" --network none --sysctl net.ipv4.ip_unprivileged_port_start=443 \
  --health-interval=disable "${hardening[@]}" -v "$single:/etc/edgeproxy/env/cloudconnect.env:ro" \
  -v "$root/certs-sample:/etc/edgeproxy/ssl:ro" -e LAB_CERTS_DIR=/etc/edgeproxy/ssl "$image" >>"$work/run.log" 2>&1
started=$SECONDS
until grep -q 'Now listening on' <<<"$(podman logs "$single_proxy" 2>&1)"; do
  ((SECONDS - started < 30)) || break
  sleep 0.5
done
inode_before="$(stat -c %i "$single")"
# In place, as `cat new > file` writes: same inode, so the container's bind mount sees the new content.
sed 's/^NGX_CLOUDCONNECT_CLIENT_IPS=.*/NGX_CLOUDCONNECT_CLIENT_IPS="127.0.0.1|::1|127.0.0.99"/' "$work/env/cloudconnect.env" >"$work/single.new"
cat "$work/single.new" >"$single"
started=$SECONDS
reloaded=false
while ((SECONDS - started < 20)); do
  if [[ "$(grep -F '"EventId":{"Id":1101' <<<"$(podman logs "$single_proxy" 2>&1)")" == *NGX_CLOUDCONNECT_CLIENT_IPS* ]]; then
    reloaded=true
    break
  fi
  sleep 0.5
done
if $reloaded && [ "$(stat -c %i "$single")" = "$inode_before" ]; then
  pass "reload: single-file bind mount written in place -> reloaded by the periodic check ($(elapsed "$started"))"
else
  podman logs "$single_proxy" 2>&1 | tail -n 10
  fail "reload: single-file bind mount written in place was not reloaded within 20 s"
fi
podman rm -f -t 0 "$single_proxy" >/dev/null 2>&1

# --- the pair: HAProxy in front of two EdgeProxy containers, rolling restart and SIGKILL under load ----------
# As Cisco deploys the proxy (a pair behind a load balancer), with the images: a pod (its infra container owns the
# loopback-only network namespace, so the instances can be stopped and started in it) holding two simulators and two
# EdgeProxy containers; HAProxy runs deploy/haproxy/edgeproxy-l7.cfg unchanged in that namespace, and the load
# (bench/FailoverDrill pair: GET and POST from three allowed client addresses) goes through it. The instances stop
# with `podman stop` (SIGTERM, then SIGKILL after 10 s: Docker's default) and are killed with `podman kill -s KILL`.
# The same pair on processes, with more scenarios: scripts/pair-lab.sh.
pair_stats=127.0.0.1:9404
declare -A pair_address=([a]=127.0.0.21 [b]=127.0.0.22)
pair_clients=(127.0.0.5 127.0.0.6 127.0.0.7)
haproxy_bin="$(command -v haproxy || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true)"
pair_run() {
  local pair_pid drill_pid haproxy_pid name code started stops=() problems=()
  if [ -z "$haproxy_bin" ] || ! command -v dotnet >/dev/null; then
    not_checked "pair: needs HAProxy and the .NET SDK (for the load generator) on this machine (apt-get install -y haproxy)"
    return
  fi
  if ! dotnet build bench/FailoverDrill/FailoverDrill.csproj -c Release -o "$work/drill" --nologo -v quiet >"$work/drill-build.log" 2>&1; then
    tail -n 20 "$work/drill-build.log"
    fail "pair: the load generator (bench/FailoverDrill) did not build"
    return
  fi
  mkdir -p "$work/pair-a" "$work/pair-b"
  for name in a b; do
    pair_env_file "$work/pair-$name/cloudconnect.env" PROXY_BINDING_IP="${pair_address[$name]}" NGX_PRXY_CLOUDCONNECT_PORT=8443 \
      PROXY_BINDING_INTERNAL_IP="${pair_address[$name]}" NGX_PRXY_STATUS_PORT=10001 \
      NGX_CLOUDCONNECT_HOSTNAME=127.0.0.11:8445 NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=127.0.0.12:8445 \
      NGX_CLOUDCONNECT_CLIENT_IPS="\"$(IFS='|'; echo "${pair_clients[*]}")\"" NGX_LOAD_BALANCER_IPS=127.0.0.30 \
      NGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For NGX_TRAFFIC_RESTRICTED=true
  done
  chmod -R a+rX "$work"
  CONTAINERS_CONF="$containers_conf" podman pod create --name "$pair_pod" --network none >>"$work/pair.log" 2>&1 \
    && CONTAINERS_CONF="$containers_conf" podman pod start "$pair_pod" >>"$work/pair.log" 2>&1
  pair_pid="$(podman inspect "$(podman pod inspect "$pair_pod" --format '{{.InfraContainerID}}')" --format '{{.State.Pid}}' 2>>"$work/pair.log")"
  if [ -z "$pair_pid" ] || [ "$pair_pid" = 0 ]; then
    cat "$work/pair.log"
    fail "pair: podman could not create the pod"
    return
  fi
  in_pair() { nsenter --net="/proc/$pair_pid/ns/net" "$@"; }
  start_node "$pair_pod-publisher" "--pod=$pair_pod" publisher 127.0.0.11 --queue-limit chat=100000000
  start_node "$pair_pod-subscriber" "--pod=$pair_pod" subscriber 127.0.0.12 --queue-limit chat=100000000 --standby
  for name in a b; do
    "${podman_run[@]}" -d --name "$pair_pod-$name" --pod "$pair_pod" --health-interval=disable "${hardening[@]}" \
      -v "$work/pair-$name:/etc/edgeproxy/env:ro" -v "$root/certs-sample:/etc/edgeproxy/ssl:ro" -e LAB_CERTS_DIR=/etc/edgeproxy/ssl \
      "$image" >>"$work/pair.log" 2>&1
  done
  pair_ready() { [ "$(in_pair curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://${pair_address[$1]}:10001/readyz")" = 200 ]; }
  pair_is() { [ "$(pair_lb_state "$pair_stats" "edge-$2" in_pair)" = "$1" ]; }
  pair_wait() { # SECONDS COMMAND...: polls every 0.2 s
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
      ((SECONDS < deadline)) || return 1
      sleep 0.2
    done
  }
  for name in a b; do
    pair_wait 60 pair_ready "$name" || { podman logs "$pair_pod-$name" 2>&1 | tail -n 10; fail "pair: instance $name not ready within 60 s"; return; }
  done
  cat certs-sample/proxy.crt certs-sample/proxy.key >"$work/pair-frontend.pem"
  pair_stats_cfg "$work/pair-haproxy-stats.cfg" "$pair_stats"
  in_pair env LB_BIND=127.0.0.1:9443 LB_SOURCE=127.0.0.30 LB_CERT="$work/pair-frontend.pem" EDGE_A="${pair_address[a]}:8443" \
    EDGE_B="${pair_address[b]}:8443" EDGE_STATUS_PORT=10001 EDGE_CA="$root/certs-sample/ca.crt" EDGE_NAME=edgeproxy.lab.local \
    "$haproxy_bin" -db -f deploy/haproxy/edgeproxy-l7.cfg -f "$work/pair-haproxy-stats.cfg" >"$work/pair-haproxy.log" 2>&1 &
  haproxy_pid=$!
  pair_pids+=("$haproxy_pid")
  for name in a b; do
    pair_wait 15 pair_is UP "$name" || { cat "$work/pair-haproxy.log"; fail "pair: HAProxy did not mark edge-$name UP"; return; }
  done

  mkfifo "$work/pair-marks"
  in_pair dotnet "$work/drill/FailoverDrill.dll" pair --proxy https://127.0.0.1:9443/ --ca certs-sample/ca.crt --rate 100 \
    --workers 6 --sources "$(IFS=,; echo "${pair_clients[*]}")" --label container-l7 <"$work/pair-marks" >"$work/pair-drill.txt" 2>&1 &
  drill_pid=$!
  pair_pids+=("$drill_pid")
  exec 8>"$work/pair-marks"
  mark() { echo "$*" >&8; }
  # podman stop/start/kill without the marks' write end: a container's conmon would hold it open, and the load
  # generator would never see the end of its input.
  pair_podman() { podman "$@" >/dev/null 2>&1 8>&-; }
  sleep 2 # steady load before the first step: a load window, not a synchronisation
  for name in a b; do
    mark "SIGTERM edge-$name"
    started=$SECONDS
    pair_podman stop --time 10 "$pair_pod-$name"
    code="$(podman inspect "$pair_pod-$name" --format '{{.State.ExitCode}}')"
    stops+=("edge-$name: podman stop took $((SECONDS - started)) s, exit code $code")
    [ "$code" = 0 ] || problems+=("edge-$name: exit code $code after podman stop")
    mark "edge-$name exited"
    pair_podman start "$pair_pod-$name"
    pair_wait 60 pair_ready "$name" && pair_wait 15 pair_is UP "$name" || problems+=("edge-$name: NOT back in the balancer")
    mark "edge-$name UP at the balancer"
  done
  mark "SIGKILL edge-a"
  pair_podman kill -s KILL "$pair_pod-a"
  pair_wait 15 pair_is DOWN a || problems+=("edge-a: NOT marked DOWN after SIGKILL")
  mark "edge-a DOWN at the balancer"
  sleep 3 # traffic on the survivor alone: a load window
  pair_podman start "$pair_pod-a"
  pair_wait 60 pair_ready a && pair_wait 15 pair_is UP a || problems+=("edge-a: NOT back in the balancer after SIGKILL")
  mark "recovered"
  sleep 3 # both instances again
  exec 8>&-
  wait "$drill_pid"
  kill "$haproxy_pid" 2>/dev/null
  wait "$haproxy_pid" 2>/dev/null
  pair_pids=()
  cat "$work/pair-drill.txt"
  printf '  %s\n' "${stops[@]}" "${problems[@]}"
  # Per phase: "+ 12.2 s  LABEL   N requests, E errors ..."; rolling = the phases before the SIGKILL mark.
  phase_errors() { awk -v from="$1" -v to="$2" '
    /requests, [0-9]+ errors/ { if (index($0, from)) on = 1; if (to != "" && index($0, to)) on = 0
      if (on) { match($0, /[0-9]+ errors/); sum += substr($0, RSTART, RLENGTH - 7) } }
    END { print sum + 0 }' "$work/pair-drill.txt"; }
  phase_requests() { awk -v label="$1" 'index($0, label) && /requests,/ { for (i = 1; i < NF; i++) if ($(i + 1) == "requests,") print $i }' "$work/pair-drill.txt"; }
  local rolling_errors kill_errors recovered_errors recovered_requests
  rolling_errors="$(phase_errors start 'SIGKILL edge-a')"
  kill_errors="$(phase_errors 'SIGKILL edge-a' recovered)"
  recovered_errors="$(phase_errors recovered '')"
  recovered_requests="$(phase_requests recovered)"
  if grep -q '^SUMMARY' "$work/pair-drill.txt" && [ "$rolling_errors" = 0 ] && ((${#problems[@]} == 0)); then
    pass "pair rolling restart: podman stop (SIGTERM) then start, edge-a then edge-b, behind HAProxy (L7) under 100 req/s: 0 client errors ($(printf '%s; ' "${stops[@]}" | sed 's/; $//'))"
  else
    fail "pair rolling restart: $rolling_errors client errors, or an instance did not stop cleanly or come back (${stops[*]} ${problems[*]})"
  fi
  if grep -q '^SUMMARY' "$work/pair-drill.txt" && [ "$recovered_errors" = 0 ] && [ "${recovered_requests:-0}" -gt 0 ] \
    && ((${#problems[@]} == 0)); then
    pass "pair SIGKILL: podman kill -s KILL edge-a: $kill_errors client error(s) let through by HAProxy's retries until it was marked DOWN; restarted, back UP, then $recovered_requests requests with 0 errors"
  else
    fail "pair SIGKILL: after the restart $recovered_errors errors in ${recovered_requests:-0} requests (${problems[*]})"
  fi
}
pair_run
podman pod rm -f "$pair_pod" >/dev/null 2>&1

# --- Kubernetes: deploy/kubernetes checked, and its pod template played by podman ---------------------------
kube=deploy/kubernetes
if output="$("$kube/make-configmaps.sh" --check 2>&1)"; then
  pass "kubernetes configmaps: $kube/configmaps is what make-configmaps.sh makes from env/ ($(ls "$kube"/configmaps/*.yaml | wc -l) data-centre files)"
else
  echo "$output" | tail -n 20
  fail "kubernetes configmaps: $kube/configmaps differs from make-configmaps.sh's output (run it and commit)"
fi
if output="$("$python" "$kube/check-manifests.py" 2>&1)"; then
  pass "kubernetes manifests: $(tail -n 1 <<<"$output" | sed 's/^check-manifests: //'): non-root 10001, read-only root, no capabilities, RuntimeDefault seccomp, 443 sysctl, anti-affinity, probes, preStop/grace, PDB, Service Local, NetworkPolicy"
else
  echo "$output"
  fail "kubernetes manifests: check-manifests.py found problems"
fi
# The schema check needs kubernetes-models from npm once; it then runs offline.
mkdir -p "$work/schema-check"
cp "$kube"/schema-check/package.json "$kube"/schema-check/validate.mjs "$work/schema-check/"
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  not_checked "kubernetes schema: node and npm are not installed (apt-get install -y npm)"
elif ! (cd "$work/schema-check" && timeout 300 npm install --no-audit --no-fund --no-package-lock) >"$work/npm.log" 2>&1; then
  tail -n 5 "$work/npm.log"
  not_checked "kubernetes schema: npm could not install kubernetes-models"
elif output="$(node "$work/schema-check/validate.mjs" "$kube" 2>&1)"; then
  pass "kubernetes schema: $(tail -n 1 <<<"$output" | sed 's/^schema-check: //') (Kubernetes API schemas of kubernetes-models)"
else
  echo "$output"
  fail "kubernetes schema: documents in $kube do not match the Kubernetes API schemas"
fi

# The played variant (scripts/kube-play-variant.py says what differs): the Deployment's pod template with the
# simulators as two more containers on 127.0.0.11/12, the eu-london ConfigMap pointed at them, and the
# certificates as the kubelet lays out a Secret volume with fsGroup 10001 and defaultMode 0440 (a hostPath:
# podman 4.3 panics on any secret volume). --network none: the pod has loopback only, as the rest of this test.
secret_dir="$work/kube-secret"
mkdir -p "$secret_dir"
cp certs-sample/proxy.crt certs-sample/proxy.key "$secret_dir/"
cp certs-sample/ca.crt "$secret_dir/cloudconnect-ca.crt"
chown root:10001 "$secret_dir"/*
chmod 0440 "$secret_dir"/*
kube_pod="edgeproxy$kube_suffix"
kube_proxy="$kube_pod-edgeproxy"
if "$python" scripts/kube-play-variant.py "$kube_suffix" "$image" "$simulator_image" "$root/certs-sample" "$secret_dir" >"$work/kube-play.yaml" 2>"$work/kube.log" \
  && CONTAINERS_CONF="$containers_conf" podman kube play --network none "$work/kube-play.yaml" >>"$work/kube.log" 2>&1; then
  # podman 4.3 ignores the pod's securityContext.sysctls; the kubelet sets them on the pod's network namespace
  # before any container starts. Until this line EdgeProxy cannot bind 443 and the pod's restart policy (Always)
  # restarts it, as a kubelet would without the sysctl.
  infra_pid="$(podman inspect "$(podman pod inspect "$kube_pod" --format '{{.InfraContainerID}}')" --format '{{.State.Pid}}')"
  nsenter --net="/proc/$infra_pid/ns/net" sysctl -qw net.ipv4.ip_unprivileged_port_start=443
  pid=$infra_pid # in_netns, post_task and node_saw now reach into the pod
  started=$SECONDS
  ready=""
  while ((SECONDS - started < 60)); do
    # 127.0.0.2: not the 127.0.0.1 the image's default binds, so an answer shows the ConfigMap's 0.0.0.0 (the pod IP).
    ready="$(in_netns curl -sS --max-time 2 http://127.0.0.2:10001/readyz 2>>"$work/curl.log")"
    [[ "$ready" == ready:* ]] && break
    sleep 1
  done
  kube_pid="$(podman inspect "$kube_proxy" --format '{{.State.Pid}}')"
  status="$(grep -E '^(Uid|CapEff|CapPrm|CapAmb|NoNewPrivs|Seccomp):' "/proc/$kube_pid/status" 2>/dev/null | tr -s '\t' ' ' | paste -sd ';')"
  readonly_root="$(podman inspect "$kube_proxy" --format '{{.HostConfig.ReadonlyRootfs}}')"
  healthz="$(in_netns curl -sS --max-time 2 http://127.0.0.2:10001/healthz 2>>"$work/curl.log")"
  kube_logs="$(podman logs "$kube_proxy" 2>&1)" # captured: grep -q on a pipe would fail the pipeline (SIGPIPE, pipefail)
  if [[ "$ready" == ready:*"active node publisher"* && "$healthz" == ok ]] \
    && [ "$status" = "Uid: 10001 10001 10001 10001;CapPrm: 0000000000000000;CapEff: 0000000000000000;CapAmb: 0000000000000000;NoNewPrivs: 1;Seccomp: 2" ] \
    && [ "$readonly_root" = true ] && grep -q 'Now listening on: \\"https://\[::\]:443\\"' <<<"$kube_logs"; then
    pass "kube play: the Deployment's pod template runs: uid 10001, no capabilities, no-new-privileges, seccomp, read-only root, 443 bound (the pod sysctl, which podman 4.3 leaves to the test), /healthz and /readyz on the pod's 0.0.0.0 status listener ('$ready' after $(elapsed "$started"))"
  else
    tail -n 10 <<<"$kube_logs"
    fail "kube play: expected uid 10001, no capabilities, seccomp, read-only root, 443 and a ready status listener on 0.0.0.0; got '$status', read-only=$readonly_root, readyz '$ready', healthz '$healthz'"
  fi

  code="$(post_task "$run_id-kube-task")"
  if [ "$code" = 201 ] && node_saw 127.0.0.11 "$run_id-kube-task"; then
    pass "kube play traffic: a task through the pod's EdgeProxy on 443 reached the publisher container over mutual TLS (201)"
  else
    fail "kube play traffic: task creation answered '$code' ($(head -c 300 "$work/task.json" 2>/dev/null)); publisher saw it: $(node_saw 127.0.0.11 "$run_id-kube-task" && echo yes || echo no)"
  fi

  # A ConfigMap edit as the kubelet applies it, in the directory behind the played ConfigMap volume: the files
  # live in a timestamped ..<date> directory, ..data points at it, each visible name is a link through ..data,
  # and an update writes a new directory, points ..data_tmp at it and renames ..data_tmp over ..data.
  # podman writes a plain file, so it is first put in that layout, unchanged.
  volume="$(podman volume inspect "edgeproxy-env$kube_suffix" --format '{{.Mountpoint}}')"
  kubelet_write() { # DIRECTORY-SUFFIX FILE: the kubelet's atomic writer, one update
    local dir="..$(date -u +%Y_%m_%d_%H_%M_%S).$1" old
    old="$(readlink "$volume/..data" 2>/dev/null)"
    mkdir "$volume/$dir"
    cp "$2" "$volume/$dir/cloudconnect.env"
    chmod -R a+rX "$volume/$dir"
    ln -s "$dir" "$volume/..data_tmp"
    mv -T "$volume/..data_tmp" "$volume/..data"
    [ -n "$old" ] && rm -rf "${volume:?}/$old"
    return 0
  }
  cp "$volume/cloudconnect.env" "$work/kube-env.old"
  kubelet_write 1 "$work/kube-env.old"
  ln -s ..data/cloudconnect.env "$volume/.cloudconnect.env.link"
  mv -T "$volume/.cloudconnect.env.link" "$volume/cloudconnect.env"
  sleep 2 # the layout change carries no new value; let any event it raises settle before counting
  before="$(podman logs "$kube_proxy" 2>&1 | grep -cF '"EventId":{"Id":1101')"
  sed 's/^NGX_CLOUDCONNECT_CLIENT_IPS=.*/NGX_CLOUDCONNECT_CLIENT_IPS="127.0.0.0\/8|::1|192.0.2.99"/' "$work/kube-env.old" >"$work/kube-env.new"
  kubelet_write 2 "$work/kube-env.new"
  started=$SECONDS
  reloaded=""
  while ((SECONDS - started < 10)); do
    reloaded="$(podman logs "$kube_proxy" 2>&1 | grep -F '"EventId":{"Id":1101' | tail -n +"$((before + 1))" | grep -F 'NGX_CLOUDCONNECT_CLIENT_IPS' | head -n 1)"
    [ -n "$reloaded" ] && break
    sleep 0.5
  done
  if [ -n "$reloaded" ] && [ "$(readlink "$volume/cloudconnect.env")" = ..data/cloudconnect.env ]; then
    pass "kube play reload: a kubelet-style ConfigMap swap (new ..<date> directory, ..data_tmp renamed over ..data) -> event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS ($(elapsed "$started"))"
  else
    ls -la "$volume"
    podman logs "$kube_proxy" 2>&1 | tail -n 5
    fail "kube play reload: no event 1101 naming NGX_CLOUDCONNECT_CLIENT_IPS within 10 s of the kubelet-style swap"
  fi
  podman kube down "$work/kube-play.yaml" >>"$work/kube.log" 2>&1
else
  cat "$work/kube.log"
  fail "kube play: podman kube play of the deploy/kubernetes pod template failed"
fi

size="$(podman image inspect "$image" --format '{{.Size}}')"
base_size="$(podman image inspect mcr.microsoft.com/dotnet/aspnet:10.0 --format '{{.Size}}')"
say "image size: $image $((size / 1000000)) MB = base mcr.microsoft.com/dotnet/aspnet:10.0 $((base_size / 1000000)) MB$(
  [ "$(podman image inspect mcr.microsoft.com/dotnet/aspnet:10.0 --format '{{index .Labels "edgeproxy.base-image-stand-in"}}')" = true ] && echo ' (local stand-in)') + EdgeProxy $(((size - base_size) / 1000)) kB"
summary
