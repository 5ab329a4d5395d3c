#!/usr/bin/env bash
# Failover drill: steady load through EdgeProxy while the active Cloud Connect node is killed and restored several
# times through the simulators' admin port; reports the errors clients saw and the time traffic took to switch.
#
# Lab topology (publisher and subscriber simulators, EdgeProxy with env/lab.env and certs-sample/), built in Release,
# on its own ports so it cannot clash with a running lab: the simulators listen on 127.0.0.11/12 (the only addresses
# their sample certificates name) port 28445, admin 28446; EdgeProxy on 127.0.0.1:28443, status 127.0.0.1:28001.
# Needs only the .NET 10 SDK.
#
# Usage: bench/failover-drill.sh [RUNS] [SCENARIOS...]
#   RUNS       runs per scenario (default 3)
#   SCENARIOS  hot cold swap (default: all three)
#     hot   both nodes answer the DR ping; the active one dies (admin mode dead), later comes back active
#     cold  the usual pair (one standby); the active one dies and the standby is made active at that moment
#     swap  planned switch-over: the standby is made active, then the active one standby; nothing dies
# Environment: DRILL_CYCLES (6), DRILL_RATE (200 req/s), DRILL_HOLD_MS (5000), DRILL_SETTLE_MS (4000), and any
# NGX_CLOUDCONNECT_HEALTHCHECK_* to override env/lab.env (interval 1000 ms, timeout 1000 ms, rise 2, fall 2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-3}"
shift || true
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(hot cold swap)

out="$root/bench/results/tmp/failover-drill"
mkdir -p "$out"
proxy_port=28443 status_port=28001 node_port=28445 admin_port=28446

port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for endpoint in "127.0.0.11:$node_port" "127.0.0.11:$admin_port" "127.0.0.12:$node_port" "127.0.0.12:$admin_port" \
  "127.0.0.1:$proxy_port" "127.0.0.1:$status_port"; do
  if port_in_use "${endpoint%:*}" "${endpoint#*:}"; then
    echo "drill: $endpoint is already in use (another drill running?)" >&2
    exit 1
  fi
done

echo "drill: building (Release)..."
for project in src/EdgeProxy/EdgeProxy.csproj src/CloudConnectSimulator/CloudConnectSimulator.csproj bench/FailoverDrill/FailoverDrill.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet build "$project" -c Release -o "$out/$name" --nologo -v quiet >"$out/build-$name.log" 2>&1 \
    || { cat "$out/build-$name.log"; echo "drill: build of $name failed" >&2; exit 1; }
done

pids=()
stop_all() {
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  pids=()
}
trap stop_all EXIT INT TERM

wait_for_port() { # address port what
  local i
  for ((i = 0; i < 150; i++)); do
    port_in_use "$1" "$2" && return 0
    sleep 0.2
  done
  echo "drill: $3 did not listen on $1:$2 within 30 s; see $out/*.log" >&2
  exit 1
}

start_topology() { # run-label
  local label=$1 name address
  for name in publisher subscriber; do
    address=127.0.0.11
    [ "$name" = subscriber ] && address=127.0.0.12
    dotnet "$out/CloudConnectSimulator/CloudConnectSimulator.dll" --name "$name" \
      --listen "$address:$node_port" --admin "$address:$admin_port" \
      --cert "certs-sample/$name.crt" --key "certs-sample/$name.key" --client-ca certs-sample/ca.crt \
      --queue-limit chat=100000000 >"$out/$label-$name.log" 2>&1 &
    pids+=($!)
  done
  wait_for_port 127.0.0.11 "$node_port" "the publisher simulator"
  wait_for_port 127.0.0.12 "$node_port" "the subscriber simulator"

  # Process environment wins over env/lab.env: the addresses and ports change, and the load generator's address is
  # exempt from the rate limits (as in bench/run.sh): the drill's 200 req/s from one address would otherwise be
  # mostly 429s under the lab's 100 r/s per client, and hide what failover does.
  LAB_CERTS_DIR="$root/certs-sample" NGX_RATELIMIT_DISABLE_IPS=127.0.0.1 \
    NGX_PRXY_CLOUDCONNECT_PORT=$proxy_port NGX_PRXY_STATUS_PORT=$status_port \
    NGX_CLOUDCONNECT_HOSTNAME="127.0.0.11:$node_port" NGX_CLOUDCONNECT_FAILOVER_HOSTNAME="127.0.0.12:$node_port" \
    dotnet "$out/EdgeProxy/EdgeProxy.dll" --env env/lab.env >"$out/$label-edgeproxy.log" 2>&1 &
  pids+=($!)
  wait_for_port 127.0.0.1 "$proxy_port" "EdgeProxy"
}

{
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
  echo "dotnet: $(dotnet --version)"
  echo "health check (env/lab.env unless overridden): interval ${NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL:-1000} ms, timeout ${NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT:-1000} ms, rise ${NGX_CLOUDCONNECT_HEALTHCHECK_RISE:-2}, fall ${NGX_CLOUDCONNECT_HEALTHCHECK_FALL:-2}"
} | tee "$out/summary.txt"

for scenario in "${scenarios[@]}"; do
  for ((run = 1; run <= runs; run++)); do
    label="$scenario-$run"
    echo "drill: $label"
    start_topology "$label"
    dotnet "$out/FailoverDrill/FailoverDrill.dll" --scenario "$scenario" --ca certs-sample/ca.crt \
      --proxy "https://127.0.0.1:$proxy_port/" \
      --publisher-admin "http://127.0.0.11:$admin_port/" --subscriber-admin "http://127.0.0.12:$admin_port/" \
      --cycles "${DRILL_CYCLES:-6}" --rate "${DRILL_RATE:-200}" \
      --hold-ms "${DRILL_HOLD_MS:-5000}" --settle-ms "${DRILL_SETTLE_MS:-4000}" | tee "$out/$label.txt"
    # A run is only valid if EdgeProxy and both simulators were up all along (nothing else may stop them).
    valid=1
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || valid=0
    done
    if ((valid)); then
      grep '^SUMMARY' "$out/$label.txt" | sed "s/^SUMMARY/run=$run/" >>"$out/summary.txt"
    else
      echo "drill: a process of run $label exited during the run (see $out/$label-*.log); run discarded" | tee -a "$out/summary.txt" >&2
    fi
    stop_all
  done
done

echo
echo "drill: per-run summaries (full output and logs in $out):"
cat "$out/summary.txt"
