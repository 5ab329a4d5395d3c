#!/usr/bin/env bash
# The EdgeProxy lab: a simulated Cloud Connect pair (publisher active, subscriber standby) and
# EdgeProxy in front of them, all on loopback, with env/lab.env and the sample certificates.
# Needs only the .NET 10 SDK. Ctrl-C stops everything.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
state="$root/.lab"
mkdir -p "$state"

echo "lab: building (Release)..."
dotnet build src/EdgeProxy/EdgeProxy.csproj -c Release -o "$state/edgeproxy" --nologo -v quiet >"$state/build.log" 2>&1 \
  || { cat "$state/build.log"; echo "lab: build of EdgeProxy failed" >&2; exit 1; }
dotnet build src/CloudConnectSimulator/CloudConnectSimulator.csproj -c Release -o "$state/simulator" --nologo -v quiet >>"$state/build.log" 2>&1 \
  || { cat "$state/build.log"; echo "lab: build of the simulator failed" >&2; exit 1; }

export LAB_CERTS_DIR="$root/certs-sample"
pids=()
names=()
stop() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo
    echo "lab: stopping..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT

start_node() { # name address extra-args...
  local name=$1 address=$2
  shift 2
  dotnet "$state/simulator/CloudConnectSimulator.dll" --node-name "$name" \
    --listen "$address:8445" --admin "$address:18445" \
    --cert "certs-sample/$name.crt" --key "certs-sample/$name.key" --client-ca certs-sample/ca.crt \
    "$@" >"$state/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name simulator (log .lab/$name.log)")
}

port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() { # address port what
  local i j
  for ((i = 0; i < 150; i++)); do
    for j in "${!pids[@]}"; do
      kill -0 "${pids[$j]}" 2>/dev/null || { echo "lab: the ${names[$j]} exited:" >&2; tail -n 5 "$state/"*.log >&2; exit 1; }
    done
    if port_in_use "$1" "$2"; then
      return 0
    fi
    sleep 0.2
  done
  echo "lab: $3 did not listen on $1:$2 within 30 s; see .lab/*.log" >&2
  exit 1
}

for endpoint in 127.0.0.11:8445 127.0.0.11:18445 127.0.0.12:8445 127.0.0.12:18445 127.0.0.1:8443 127.0.0.1:10001; do
  if port_in_use "${endpoint%:*}" "${endpoint#*:}"; then
    echo "lab: $endpoint is already in use (is another lab running?)" >&2
    exit 1
  fi
done

start_node publisher 127.0.0.11
start_node subscriber 127.0.0.12 --standby
wait_for_port 127.0.0.11 8445 "the publisher simulator"
wait_for_port 127.0.0.12 8445 "the subscriber simulator"

# EdgeProxy logs JSON lines to the terminal and to .lab/edgeproxy.log. OPENSSL_CONF as the container
# image sets it: OpenSSL enforces the TLS cipher policy (docs/configuration.md, Performance).
OPENSSL_CONF="$state/edgeproxy/openssl-edgeproxy.cnf" dotnet "$state/edgeproxy/EdgeProxy.dll" --env env/lab.env > >(tee "$state/edgeproxy.log") 2>&1 &
pids+=($!)
names+=("EdgeProxy (log .lab/edgeproxy.log)")
wait_for_port 127.0.0.1 8443 "EdgeProxy"

cat <<INFO

============================================================================
 EdgeProxy lab is running (logs in .lab/*.log; Ctrl-C stops everything)

   EdgeProxy           https://127.0.0.1:8443   (env/lab.env, certs-sample/)
   status page         http://127.0.0.1:10001/   (JSON: /reverseproxy_status, /metrics, /readyz)
   publisher (active)  https://127.0.0.11:8445  admin http://127.0.0.11:18445/admin/state
   subscriber (standby) https://127.0.0.12:8445 admin http://127.0.0.12:18445/admin/state

 Create a task through the proxy:
   curl --cacert certs-sample/ca.crt -H 'Content-Type: application/json' \\
        -d '{"mediaType":"chat","name":"lab task"}' https://127.0.0.1:8443/drapi/v1/tasks

 List tasks:            curl --cacert certs-sample/ca.crt 'https://127.0.0.1:8443/drapi/v1/tasks?from=0'
 Internal endpoint:     curl --cacert certs-sample/ca.crt https://127.0.0.1:8443/drapi/v1/status   (404 at the edge)
 Fail over to the subscriber (traffic follows at once: the old node's first standby 503 is sent on to the new one):
   curl -X POST http://127.0.0.12:18445/admin/mode/active; curl -X POST http://127.0.0.11:18445/admin/mode/standby
 Kill the active node:  curl -X POST http://127.0.0.11:18445/admin/mode/dead   (back: .../admin/mode/active)
============================================================================

INFO
wait "${pids[@]}"
