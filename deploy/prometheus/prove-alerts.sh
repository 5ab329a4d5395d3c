#!/usr/bin/env bash
# Proves the "no active node" alert end to end with a real Prometheus, everything on loopback:
# two Cloud Connect simulators (publisher active, subscriber standby), EdgeProxy with env/lab.env and
# certs-sample/, and Prometheus scraping EdgeProxy's status port every second with edgeproxy-alerts.yml.
# Then the publisher goes standby and the subscriber dead (simulator admin API), and the script waits
# (with a deadline) until Prometheus's /api/v1/alerts shows EdgeProxyNoActiveNode firing.
#
# For the proof the rules are loaded from a copy whose every `for:` is 5s (the shipped values are minutes);
# the expressions are the shipped ones, unchanged.
#
# Usage: deploy/prometheus/prove-alerts.sh [--bin DIR]
#   --bin DIR  a directory holding built EdgeProxy.dll and CloudConnectSimulator.dll (e.g. the integration
#              tests' output); without it both are built (Release) into a temporary directory.
# Needs the .NET 10 SDK, curl, and prometheus (Debian: apt-get install prometheus). Prints PASS or FAIL;
# exit code 0 on PASS. Every process it starts is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin=""
while (($#)); do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    *) echo "usage: $0 [--bin DIR]" >&2; exit 2 ;;
  esac
done

command -v prometheus >/dev/null || { echo "prove-alerts: FAIL: prometheus is not installed (Debian: apt-get install prometheus)"; exit 1; }
command -v curl >/dev/null || { echo "prove-alerts: FAIL: curl is not installed"; exit 1; }

state="$(mktemp -d "${TMPDIR:-/tmp}/edgeproxy-prove-alerts.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$state"
  exit "$status"
}
trap cleanup EXIT INT TERM

fail() {
  echo "prove-alerts: FAIL: $*"
  for log in "$state"/*.log; do
    [ -f "$log" ] && { echo "--- last lines of $(basename "$log")"; tail -n 15 "$log"; }
  done
  exit 1
}

if [ -z "$bin" ]; then
  bin="$state/bin"
  echo "prove-alerts: building EdgeProxy and the simulator (Release)..."
  dotnet build "$root/src/EdgeProxy/EdgeProxy.csproj" -c Release -o "$bin" --nologo -v quiet >"$state/build.log" 2>&1 || fail "build of EdgeProxy failed"
  dotnet build "$root/src/CloudConnectSimulator/CloudConnectSimulator.csproj" -c Release -o "$bin" --nologo -v quiet >>"$state/build.log" 2>&1 \
    || fail "build of the simulator failed"
fi
[ -f "$bin/EdgeProxy.dll" ] && [ -f "$bin/CloudConnectSimulator.dll" ] || fail "$bin holds no EdgeProxy.dll and CloudConnectSimulator.dll"

port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# A port nothing listens on now, from a range away from the lab's fixed ports and the ephemeral range.
free_port() { # address
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 10000))
    port_in_use "$1" "$port" || { echo "$port"; return 0; }
  done
  fail "no free port found on $1"
}

wait_until() { # seconds description command...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || fail "a process exited while waiting for $what"
    done
    ((SECONDS < deadline)) || fail "no $what within the deadline"
    sleep 0.5
  done
}

publisher_port=$(free_port 127.0.0.11)
publisher_admin=$(free_port 127.0.0.11)
subscriber_port=$(free_port 127.0.0.12)
subscriber_admin=$(free_port 127.0.0.12)
proxy_port=$(free_port 127.0.0.1)
status_port=$(free_port 127.0.0.1)
prometheus_port=$(free_port 127.0.0.1)

start_node() { # name address https-port admin-port extra-args...
  local name=$1 address=$2 port=$3 admin=$4
  shift 4
  dotnet "$bin/CloudConnectSimulator.dll" --name "$name" --listen "$address:$port" --admin "$address:$admin" \
    --cert "$root/certs-sample/$name.crt" --key "$root/certs-sample/$name.key" --client-ca "$root/certs-sample/ca.crt" \
    "$@" >"$state/$name.log" 2>&1 &
  pids+=($!)
}

start_node publisher 127.0.0.11 "$publisher_port" "$publisher_admin"
start_node subscriber 127.0.0.12 "$subscriber_port" "$subscriber_admin" --standby
wait_until 30 "publisher simulator listening" port_in_use 127.0.0.11 "$publisher_port"
wait_until 30 "subscriber simulator listening" port_in_use 127.0.0.12 "$subscriber_port"

# env/lab.env as the lab runs it; the process environment overrides its ports and node addresses.
LAB_CERTS_DIR="$root/certs-sample" PROXY_BINDING_IP=127.0.0.1 NGX_PRXY_CLOUDCONNECT_PORT="$proxy_port" \
  PROXY_BINDING_INTERNAL_IP=127.0.0.1 NGX_PRXY_STATUS_PORT="$status_port" \
  NGX_CLOUDCONNECT_HOSTNAME="127.0.0.11:$publisher_port" NGX_CLOUDCONNECT_FAILOVER_HOSTNAME="127.0.0.12:$subscriber_port" \
  EDGEPROXY_LOG_FORMAT=text \
  dotnet "$bin/EdgeProxy.dll" --env "$root/env/lab.env" >"$state/edgeproxy.log" 2>&1 &
pids+=($!)
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$status_port/readyz" 2>/dev/null; }
wait_until 60 "EdgeProxy ready (/readyz 200, publisher active)" ready

# Prometheus on loopback, scraping only EdgeProxy's status port.
sed -E 's/^([[:space:]]+for:).*/\1 5s/' "$here/edgeproxy-alerts.yml" >"$state/edgeproxy-alerts.yml"
cat >"$state/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $state/edgeproxy-alerts.yml
scrape_configs:
  - job_name: edgeproxy
    static_configs:
      - targets: ['127.0.0.1:$status_port']
EOF
prometheus --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn >"$state/prometheus.log" 2>&1 &
pids+=($!)
api="http://127.0.0.1:$prometheus_port"
prometheus_ready() { curl -fsS -o /dev/null "$api/-/ready" 2>/dev/null; }
wait_until 30 "Prometheus ready" prometheus_ready

query() { curl -fsS -G "$api/api/v1/query" --data-urlencode "query=$1"; }
scraped_active() { query 'max(edgeproxy_active_node{job="edgeproxy"})' | grep -q '"value":\[[0-9.]*,"1"\]'; }
wait_until 30 "scrape of EdgeProxy showing an active node" scraped_active

# One alert object per line, then the one asked for.
alert_state() { # alertname
  curl -fsS "$api/api/v1/alerts" | sed 's/{"labels":/\n&/g' | grep "\"alertname\":\"$1\"" | grep -o '"state":"[a-z]*"' | head -n 1 || true
}

# Baseline: with the publisher active, the alert must not be pending or firing (after the rules ran at least once).
rules_evaluated() { curl -fsS "$api/api/v1/rules" | grep -q '"name":"EdgeProxyNoActiveNode".*"lastEvaluation":"2'; }
wait_until 15 "evaluation of the rules" rules_evaluated
[ -z "$(alert_state EdgeProxyNoActiveNode)" ] || fail "EdgeProxyNoActiveNode is $(alert_state EdgeProxyNoActiveNode) while the publisher is active"
echo "prove-alerts: publisher active, EdgeProxyNoActiveNode not firing; now publisher standby, subscriber dead"

curl -fsS -o /dev/null -X POST "http://127.0.0.11:$publisher_admin/admin/mode/standby" || fail "admin API of the publisher"
curl -fsS -o /dev/null -X POST "http://127.0.0.12:$subscriber_admin/admin/mode/dead" || fail "admin API of the subscriber"

started=$SECONDS
firing() { [ "$(alert_state EdgeProxyNoActiveNode)" = '"state":"firing"' ]; }
wait_until 60 "EdgeProxyNoActiveNode firing" firing
echo "prove-alerts: EdgeProxyNoActiveNode firing $((SECONDS - started)) s after the fault:"
curl -fsS "$api/api/v1/alerts" | sed 's/{"labels":/\n&/g' | grep '"alertname":"EdgeProxyNoActiveNode"' | grep -o '"labels":{[^}]*}'
curl -sS "http://127.0.0.1:$status_port/readyz" -o /dev/null -w 'prove-alerts: EdgeProxy /readyz now answers %{http_code}\n' || true
echo "prove-alerts: PASS"
