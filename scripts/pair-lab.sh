#!/usr/bin/env bash
# The EdgeProxy pair lab: two EdgeProxy instances behind HAProxy, as Cisco deploys the proxy (a pair behind a load
# balancer), with the publisher (active) and subscriber (standby) simulators behind them, all on loopback. HAProxy runs
# deploy/haproxy/edgeproxy-l7.cfg or edgeproxy-l4.cfg unchanged (its "${...}" come from the environment).
#
#   clients 127.0.0.5-7 (allowed), 127.0.0.9 (not allowed)
#     -> HAProxy https://127.0.0.1:9443 (stats http://127.0.0.1:9404/stats), to the instances from 127.0.0.30
#     -> EdgeProxy a https://127.0.0.21:8443 (status http://127.0.0.21:10001/)
#        EdgeProxy b https://127.0.0.22:8443 (status http://127.0.0.22:10001/)
#     -> publisher https://127.0.0.11:29445 (admin :29446), subscriber https://127.0.0.12:29445 (admin :29446)
#
# Each instance's env file is env/lab.env with its own addresses, NGX_LOAD_BALANCER_IPS=127.0.0.30, the header for the
# mode (X-Forwarded-For or proxy_protocol), NGX_TRAFFIC_RESTRICTED=true and the client addresses above.
# First it checks that the REAL client is judged through the balancer: 403 for 127.0.0.9 with the blocking log naming
# peer = balancer and client = 127.0.0.9, 200 for 127.0.0.5 with X-Real-IP 127.0.0.5 at the node. Then the scenario,
# under steady load (bench/FailoverDrill pair: GET and POST from 127.0.0.5-7):
#   rolling  SIGTERM to instance a, restarted once it has exited, back in the balancer; then b the same.
#            Expected: 0 client errors (exit 1 otherwise).
#   kill     SIGKILL to instance a: the errors the balancer lets through with its retry settings, traffic on b alone,
#            then a restarted and traffic on both again.
#   none     no load: the pair keeps running until Ctrl-C (to try it by hand).
#
# Usage: scripts/pair-lab.sh --mode l7|l4 [--scenario rolling|kill|none] [--rate N] [--steady-s N] [--hold-s N]
#                            [--shutdown-delay N] [--node-delay-ms N]
#   --rate            requests a second through the balancer (default 100)
#   --steady-s        load before the first step and after the last (default 3)
#   --hold-s          kill: how long traffic runs on the survivor, and on both after the restart (default 4)
#   --shutdown-delay  EDGEPROXY_SHUTDOWN_DELAY of the instances in seconds (default 3; 0 shows what the delay buys)
#   --node-delay-ms   the nodes answer this much later (default 0): more requests in flight when an instance dies
# Needs the .NET 10 SDK and HAProxy (installed with apt-get when missing and run as root), curl and jq.
# Exit: 0 checks passed (and, for rolling, no client error); 1 otherwise; 2 cannot run here.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/pair.sh

mode="" scenario=none rate=100 steady_s=3 hold_s=4 shutdown_delay=3 node_delay_ms=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --mode) mode=${2:-}; shift 2 ;;
    --scenario) scenario=${2:-}; shift 2 ;;
    --rate) rate=${2:-}; shift 2 ;;
    --steady-s) steady_s=${2:-}; shift 2 ;;
    --hold-s) hold_s=${2:-}; shift 2 ;;
    --shutdown-delay) shutdown_delay=${2:-}; shift 2 ;;
    --node-delay-ms) node_delay_ms=${2:-}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "pair-lab: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$mode" == l7 || "$mode" == l4 ]] || { echo "pair-lab: --mode l7 or --mode l4 is required (see --help)" >&2; exit 2; }
[[ "$scenario" =~ ^(rolling|kill|none)$ ]] || { echo "pair-lab: --scenario is rolling, kill or none" >&2; exit 2; }
[[ "$rate$steady_s$hold_s$shutdown_delay$node_delay_ms" =~ ^[0-9]+$ ]] \
  || { echo "pair-lab: --rate, --steady-s, --hold-s, --shutdown-delay and --node-delay-ms take whole numbers" >&2; exit 2; }

balancer=127.0.0.30
frontend=127.0.0.1:9443
stats=127.0.0.1:9404
declare -A address=([a]=127.0.0.21 [b]=127.0.0.22)
public_port=8443 status_port=10001 node_port=29445 admin_port=29446
allowed=(127.0.0.5 127.0.0.6 127.0.0.7)
denied=127.0.0.9
state="$root/.pair-lab/$mode"

say() { echo "pair-lab: $*"; }
die() { echo "pair-lab: $*" >&2; exit 1; }

# --- prerequisites ---------------------------------------------------------------------------------------------------
for tool in dotnet curl jq; do
  command -v "$tool" >/dev/null || { echo "pair-lab: cannot run: $tool is not installed" >&2; exit 2; }
done
haproxy=$(command -v haproxy || true)
[ -n "$haproxy" ] || [ ! -x /usr/sbin/haproxy ] || haproxy=/usr/sbin/haproxy
if [ -z "$haproxy" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing HAProxy: apt-get install -y haproxy"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy; } >/dev/null 2>&1 \
      || { echo "pair-lab: cannot run: apt-get install haproxy failed" >&2; exit 2; }
    haproxy=/usr/sbin/haproxy
  else
    echo "pair-lab: cannot run: HAProxy is not installed (apt-get install -y haproxy)" >&2
    exit 2
  fi
fi

port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for endpoint in "$frontend" "$stats" "${address[a]}:$public_port" "${address[a]}:$status_port" "${address[b]}:$public_port" \
  "${address[b]}:$status_port" "127.0.0.11:$node_port" "127.0.0.11:$admin_port" "127.0.0.12:$node_port" "127.0.0.12:$admin_port"; do
  if port_in_use "${endpoint%:*}" "${endpoint#*:}"; then
    echo "pair-lab: cannot run: $endpoint is already in use (is another pair lab running?)" >&2
    exit 2
  fi
done

rm -rf "$state"
mkdir -p "$state"
say "building (Release) into .pair-lab/$mode ..."
for project in src/EdgeProxy/EdgeProxy.csproj src/CloudConnectSimulator/CloudConnectSimulator.csproj bench/FailoverDrill/FailoverDrill.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet build "$project" -c Release -o "$state/$name" --nologo -v quiet >"$state/build-$name.log" 2>&1 \
    || { cat "$state/build-$name.log"; die "build of $name failed"; }
done

# --- processes -------------------------------------------------------------------------------------------------------
declare -A pid=()
drill_pid=""
cleanup() {
  trap - EXIT INT TERM
  exec 7>&- 2>/dev/null || true
  local name
  # A script's background processes ignore SIGINT, so SIGTERM; EdgeProxy stops at once on its second SIGTERM instead
  # of serving EDGEPROXY_SHUTDOWN_DELAY more.
  for name in "${!pid[@]}"; do
    kill -TERM "${pid[$name]}" 2>/dev/null || true
  done
  [ -z "$drill_pid" ] || kill -TERM "$drill_pid" 2>/dev/null || true
  sleep 0.5
  for name in "${!pid[@]}"; do
    [[ "$name" != edge-* && "$name" != stopping ]] || kill -TERM "${pid[$name]}" 2>/dev/null || true
  done
  for name in "${!pid[@]}"; do
    wait "${pid[$name]}" 2>/dev/null || true
  done
  [ -z "$drill_pid" ] || wait "$drill_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# exited PID: true once the child has exited (a zombie counts: kill -0 still succeeds on it).
exited() { [ ! -e "/proc/$1" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]; }

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s; fails the run naming WHAT after SECONDS.
wait_until() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || die "$what: not within the deadline; logs in $state"
    local name
    for name in "${!pid[@]}"; do
      [ "$name" = stopping ] || ! exited "${pid[$name]}" || die "$name exited unexpectedly; see $state/$name.log"
    done
    sleep 0.1
  done
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }
is_status() { [ "$(http_status "${@:2}")" = "$1" ]; }

start_simulator() { # name address extra-args...
  local name=$1 at=$2
  shift 2
  dotnet "$state/CloudConnectSimulator/CloudConnectSimulator.dll" --name "$name" \
    --listen "$at:$node_port" --admin "$at:$admin_port" \
    --cert "certs-sample/$name.crt" --key "certs-sample/$name.key" --client-ca certs-sample/ca.crt \
    --queue-limit chat=100000000 "$@" >"$state/$name.log" 2>&1 &
  pid[$name]=$!
}

write_env() { # instance
  local clients
  clients="$(IFS='|'; echo "${allowed[*]}")"
  # The status listener where the balancer's health check reaches it: the instance's own address.
  pair_env_file "$state/edge-$1.env" PROXY_BINDING_IP="${address[$1]}" NGX_PRXY_CLOUDCONNECT_PORT="$public_port" \
    PROXY_BINDING_INTERNAL_IP="${address[$1]}" NGX_PRXY_STATUS_PORT="$status_port" \
    NGX_CLOUDCONNECT_HOSTNAME="127.0.0.11:$node_port" NGX_CLOUDCONNECT_FAILOVER_HOSTNAME="127.0.0.12:$node_port" \
    NGX_CLOUDCONNECT_CLIENT_IPS="\"$clients\"" NGX_LOAD_BALANCER_IPS="$balancer" \
    NGX_LOAD_BALANCER_REAL_IP_HEADER="$([ "$mode" = l7 ] && echo X-Forwarded-For || echo proxy_protocol)" \
    NGX_TRAFFIC_RESTRICTED=true EDGEPROXY_SHUTDOWN_DELAY="${shutdown_delay}s"
}

start_edge() { # instance
  LAB_CERTS_DIR="$root/certs-sample" OPENSSL_CONF="$state/EdgeProxy/openssl-edgeproxy.cnf" \
    dotnet "$state/EdgeProxy/EdgeProxy.dll" --env "$state/edge-$1.env" >>"$state/edge-$1.log" 2>&1 7>&- &
  pid[edge-$1]=$!
}

lb_is() { [ "$(pair_lb_state "$stats" "$2")" = "$1" ]; }

# served INSTANCE: requests the instance answered on its public listener since it started (its own metrics).
served() {
  curl -s --max-time 2 "http://${address[$1]}:$status_port/metrics" \
    | awk '/^edgeproxy_requests_total\{/ { sum += $NF } END { printf "%d\n", sum }'
}

now_ms() { date +%s%3N; }
since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f s", (b - a) / 1000 }'; }

for name in a b; do
  write_env "$name"
done
start_simulator publisher 127.0.0.11
start_simulator subscriber 127.0.0.12 --standby
wait_until 30 "the publisher simulator listening" port_in_use 127.0.0.11 "$node_port"
wait_until 30 "the subscriber simulator listening" port_in_use 127.0.0.12 "$node_port"
for node in 127.0.0.11 127.0.0.12; do
  wait_until 30 "the simulator admin port on $node" port_in_use "$node" "$admin_port"
  curl -sf -X POST "http://$node:$admin_port/admin/delay?ms=$node_delay_ms" >/dev/null || die "could not set the node delay on $node"
done
for name in a b; do
  start_edge "$name"
done
for name in a b; do
  wait_until 30 "instance $name ready (/readyz 200)" is_status 200 "http://${address[$name]}:$status_port/readyz"
done

frontend_pem="$state/haproxy-frontend.pem"
cat certs-sample/proxy.crt certs-sample/proxy.key >"$frontend_pem"
pair_stats_cfg "$state/haproxy-lab.cfg" "$stats"
# HAProxy reads the "${...}" of the deploy/haproxy configuration from its environment (set for it alone: EdgeProxy
# refuses unknown EDGEPROXY_ keys, and restarted instances inherit this shell's environment).
haproxy_env=(LB_BIND="$frontend" LB_SOURCE="$balancer" LB_CERT="$frontend_pem" EDGE_A="${address[a]}:$public_port"
  EDGE_B="${address[b]}:$public_port" EDGE_STATUS_PORT="$status_port" EDGE_CA="$root/certs-sample/ca.crt" EDGE_NAME=edgeproxy.lab.local)
haproxy_cfg=(-f "deploy/haproxy/edgeproxy-$mode.cfg" -f "$state/haproxy-lab.cfg")
env "${haproxy_env[@]}" "$haproxy" -c -q "${haproxy_cfg[@]}" >"$state/haproxy-check.log" 2>&1 \
  || { cat "$state/haproxy-check.log"; die "HAProxy rejected deploy/haproxy/edgeproxy-$mode.cfg"; }
env "${haproxy_env[@]}" "$haproxy" -db "${haproxy_cfg[@]}" >"$state/haproxy.log" 2>&1 &
pid[haproxy]=$!
for name in a b; do
  wait_until 15 "HAProxy marking edge-$name UP" lb_is UP "edge-$name"
done
say "pair running: HAProxy $mode on https://$frontend -> edge-a ${address[a]}:$public_port, edge-b ${address[b]}:$public_port"

# --- the real client through the balancer ----------------------------------------------------------------------------
checks_failed=0
check() { # PASS/FAIL line; a FAIL fails the run
  if [ "$1" = ok ]; then echo "PASS  $2"; else echo "FAIL  $2"; checks_failed=$((checks_failed + 1)); fi
}
client() { # source-address path: the status code through the balancer
  http_status --cacert certs-sample/ca.crt --interface "$1" "https://$frontend$2"
}
curl -s -X POST "http://127.0.0.11:$admin_port/admin/reset" >/dev/null
marker="pair-lab-$mode-$$"
# Two of each, in a row: round robin (per request in L7, per connection in L4) puts one of each on each instance.
statuses="$(client "${allowed[0]}" "/drapi/v1/ping?check=$marker-1") $(client "${allowed[0]}" "/drapi/v1/ping?check=$marker-2")"
statuses+=" $(client "$denied" /drapi/v1/ping) $(client "$denied" /drapi/v1/ping)"
[ "$statuses" = "200 200 403 403" ] && ok=ok || ok=no
check "$ok" "through the balancer: allowed client ${allowed[0]} -> 200, client $denied (not in NGX_CLOUDCONNECT_CLIENT_IPS) -> 403 (allowed, allowed, denied, denied: $statuses)"
real_ips="$(curl -s "http://127.0.0.11:$admin_port/admin/requests" \
  | jq -r --arg m "$marker" '[.[] | select((.queryString // "") | contains($m)) | (.headers["X-Real-IP"] // .headers["x-real-ip"] // "none")] | join(" ")')"
[ "$real_ips" = "${allowed[0]} ${allowed[0]}" ] && ok=ok || ok=no
check "$ok" "the publisher saw X-Real-IP = the real client ${allowed[0]} on both requests (seen: ${real_ips:-nothing})"
blocked=""
for name in a b; do
  # The blocking log (event 3001) as JSON lines: peer and client of each refusal.
  blocked+="$(grep -h '"EventId":3001\|"Id":3001' "$state/edge-$name.log" 2>/dev/null \
    | jq -r --arg n "$name" 'select(.Properties.Peer != null or .Peer != null) | "edge-\($n): peer=\(.Properties.Peer // .Peer) client=\(.Properties.Client // .Client)"' 2>/dev/null || true)"$'\n'
done
blocked="$(sed '/^$/d' <<<"$blocked")"
expected_refusals="$(grep -c "peer=$balancer client=$denied\$" <<<"$blocked" || true)"
[ "$expected_refusals" -ge 1 ] && [ "$(grep -c . <<<"$blocked")" = "$expected_refusals" ] && ok=ok || ok=no
check "$ok" "blocking log: peer = balancer $balancer, client = $denied ($(tr '\n' ';' <<<"$blocked" | sed 's/;$//; s/;/; /g'))"
((checks_failed == 0)) || die "the real-client checks failed; logs in $state"

if [ "$scenario" = none ]; then
  cat <<INFO

 Pair lab ($mode) is running; Ctrl-C stops everything. Logs in .pair-lab/$mode/.
   curl --cacert certs-sample/ca.crt --interface ${allowed[0]} https://$frontend/drapi/v1/ping      (200)
   curl --cacert certs-sample/ca.crt --interface $denied https://$frontend/drapi/v1/ping      (403)
   HAProxy stats: http://$stats/stats   instances: http://${address[a]}:$status_port/  http://${address[b]}:$status_port/
   Rolling restart by hand: kill -TERM ${pid[edge-a]} (edge-a), then start it again as this script does.
INFO
  wait "${pid[haproxy]}"
  exit 0
fi

# --- the scenario under load -----------------------------------------------------------------------------------------
mkfifo "$state/marks"
dotnet "$state/FailoverDrill/FailoverDrill.dll" pair --proxy "https://$frontend/" --ca certs-sample/ca.crt \
  --rate "$rate" --workers 6 --sources "$(IFS=,; echo "${allowed[*]}")" --label "$mode-$scenario" \
  <"$state/marks" >"$state/drill.txt" 2>&1 &
drill_pid=$!
exec 7>"$state/marks"
mark() { echo "$*" >&7; }
notes=()
note() { notes+=("$*"); say "$*"; }

sleep "$steady_s" # steady load before the first step: a load window, not a synchronisation

restart() { # instance: start it again and wait until it is ready and back in the balancer
  local name=$1 started
  started=$(now_ms)
  start_edge "$name"
  wait_until 30 "edge-$name ready after its restart" is_status 200 "http://${address[$name]}:$status_port/readyz"
  note "edge-$name: ready $(since "$started") after its start"
  wait_until 15 "HAProxy marking edge-$name UP" lb_is UP "edge-$name"
  mark "edge-$name UP at the balancer"
  note "edge-$name: UP at the balancer $(since "$started") after its start"
}

case "$scenario" in
  rolling)
    for name in a b; do
      mark "SIGTERM edge-$name"
      term_at=$(now_ms)
      kill -TERM "${pid[edge-$name]}"
      pid[stopping]=${pid[edge-$name]}
      unset "pid[edge-$name]"
      wait_until 15 "HAProxy marking edge-$name DOWN" lb_is DOWN "edge-$name"
      note "edge-$name: DOWN at the balancer $(since "$term_at") after SIGTERM"
      wait_until 15 "edge-$name exiting after SIGTERM" exited "${pid[stopping]}"
      code=0
      wait "${pid[stopping]}" || code=$?
      unset "pid[stopping]"
      mark "edge-$name exited"
      note "edge-$name: exited with code $code $(since "$term_at") after SIGTERM"
      restart "$name"
    done
    ;;
  kill)
    mark "SIGKILL edge-a"
    kill_at=$(now_ms)
    kill -KILL "${pid[edge-a]}"
    wait "${pid[edge-a]}" 2>/dev/null || true
    unset "pid[edge-a]"
    wait_until 15 "HAProxy marking edge-a DOWN" lb_is DOWN edge-a
    mark "edge-a DOWN at the balancer"
    note "edge-a: DOWN at the balancer $(since "$kill_at") after SIGKILL"
    before=$(served b)
    sleep "$hold_s" # a load window on the survivor alone
    note "survivor: edge-b answered $(($(served b) - before)) requests in the $hold_s s with edge-a down"
    restart a
    before_a=$(served a) before_b=$(served b)
    sleep "$hold_s" # a load window on both again
    note "both again: edge-a answered $(($(served a) - before_a)), edge-b $(($(served b) - before_b)) requests in the $hold_s s after edge-a was back"
    ;;
esac

mark "steady"
sleep "$steady_s"
exec 7>&-
wait "$drill_pid" || die "the load generator failed: $(cat "$state/drill.txt")"
drill_pid=""

echo
echo "pair-lab: mode $mode, scenario $scenario, EDGEPROXY_SHUTDOWN_DELAY=${shutdown_delay}s, node delay ${node_delay_ms} ms (HAProxy deploy/haproxy/edgeproxy-$mode.cfg; logs in .pair-lab/$mode/)"
cat "$state/drill.txt"
printf '  %s\n' "${notes[@]}"
summary="$(grep '^SUMMARY' "$state/drill.txt")"
errors="$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$summary")"
if [ "$scenario" = rolling ] && [ "${errors:-1}" != 0 ]; then
  echo "pair-lab: FAIL: the rolling restart cost $errors client errors (expected 0)"
  exit 1
fi
echo "pair-lab: done"
