#!/usr/bin/env bash
# EdgeProxy side by side with nginx and HAProxy doing the same job, the node direct, and two floors:
# the YARP floor (bench/YarpFloor: Kestrel + YARP routes and clusters + mutual TLS to one node, nothing
# else) and the direct-forwarding floor (bench/DirectFloor: Kestrel + YARP's IHttpForwarder + mutual TLS
# to one node, nothing else, the way EdgeProxy forwards).
# One command: builds EdgeProxy and the floors (Release), makes bench certificates, starts two node
# stand-ins (nginx, mutual TLS required) and the proxies, runs every scenario (interleaved, median of
# N runs), the failover drill, and writes bench/results/latest/ and the tables in bench/README.md.
#
#   bench/run.sh                 full run (about an hour)
#   bench/run.sh --quick         smoke run: 1 run of 3 s per scenario; writes bench/results/tmp/ only
#   options: --runs N --duration S --warmup S --systems "direct edgeproxy nginx haproxy yarp directfloor"
#            (add edgeproxy-aot: the Native AOT build, edgeproxy-before: the commit in BENCH_BEFORE; see lib/common.sh)
#            --scenarios "h1-get h1-post h2-get h2-post h1-newconn lat-h1 lat-h2" --no-drill --no-readme
#            --out DIR --keep (leave everything running afterwards; bench/stop.sh stops it)
#
# Needs: the .NET SDK, and Debian's wrk, nghttp2-client (h2load), nginx, haproxy, python3
# (python3-matplotlib for the chart). Every process it starts is pinned with taskset and recorded
# in a pid file under $BENCH_STATE; nothing else is ever signalled.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

runs=3 duration=20 warmup=15 quick=0 drill=1 readme=1 keep=0 out=""
systems="direct edgeproxy nginx haproxy yarp directfloor"
scenarios="h1-get h1-post h2-get h2-post h1-newconn lat-h1 lat-h2"
while (($#)); do
  case $1 in
    --quick) quick=1 runs=1 duration=3 warmup=3 readme=0 ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --systems) systems=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --no-drill) drill=0 ;;
    --no-readme) readme=0 ;;
    --out) out=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
((quick)) && out=${out:-$bench_dir/results/tmp}
out=${out:-$bench_dir/results/latest}

# Fixed-rate latency: 10 clients at Cisco's default per-client DR rate limit (100 r/s) each
# (h2load --rps is per client).
LAT_CLIENTS=10
LAT_RATE=${BENCH_LAT_RATE:-1000}
# A run with more than this share of a core used by processes outside the bench is repeated.
DISTURBED=${BENCH_DISTURBED:-0.15}

for tool in wrk h2load nginx haproxy taskset python3 openssl dotnet; do
  command -v "$tool" >/dev/null || die "$tool not found; apt-get install -y wrk nghttp2-client nginx haproxy python3 (and the .NET SDK)"
done
(($(nproc) >= 2)) || die "needs 2 cores (proxy on core $PROXY_CPU, load generator and nodes on core $LOAD_CPU)"

cleanup() {
  if ((keep)); then
    log "left running (--keep); stop with bench/stop.sh"
  else
    stop_all
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_all
mkdir -p "$out"
rm -f "$out"/runs.jsonl "$out"/drill-*.json
: >"$BENCH_STATE/logs/loadgen.log"
build_edgeproxy
[[ " $systems " == *" yarp "* ]] && build_yarp
[[ " $systems " == *" directfloor "* ]] && build_directfloor
[[ " $systems " == *" edgeproxy-aot "* ]] && build_edgeproxy_aot
[[ " $systems " == *" edgeproxy-before "* ]] && build_edgeproxy_before
start_nodes
for system in $systems; do start_system "$system"; done

# The 1 KB task-creation body (a task with variables, as Webex Connect posts).
body=$BENCH_STATE/task-1k.json
python3 - "$body" <<'PY'
import json, sys
task = {"mediaType": "chat", "name": "bench task", "tags": ["bench", "chat"],
        "variables": {"customerName": "Alex Example", "language": "en", "queue": "support"}}
task["variables"]["context"] = "x" * (1024 - len(json.dumps(task)) - len(', "context": ""'))
open(sys.argv[1], "w").write(json.dumps(task))
PY

# Sanity: every system answers GET and POST with 200 through the allow-list and mTLS; a client
# outside the allow-list is refused; the node refuses a client without a certificate.
for system in $systems; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BENCH_STATE/certs/ca.crt" "$(url "$system" '/drapi/v1/tasks?from=0')")
  [[ $code == 200 ]] || die "$system answered GET with $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BENCH_STATE/certs/ca.crt" -H 'Content-Type: application/json' --data-binary "@$body" "$(url "$system" /drapi/v1/tasks)")
  [[ $code == 200 ]] || die "$system answered POST with $code"
  # The floors have no allow-list (they are the stack without EdgeProxy).
  if [[ $system != direct && $system != yarp && $system != directfloor ]]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.52 --cacert "$BENCH_STATE/certs/ca.crt" "$(url "$system" '/drapi/v1/tasks?from=0')")
    [[ $code == 403 ]] || die "$system answered a client outside the allow-list with $code"
  fi
done
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BENCH_STATE/certs/ca.crt" "https://$NODE1:$NODE_PORT/drapi/v1/ping")
[[ $code == 400 ]] || die "the node answered a client without certificate with $code (expected 400)"
log "sanity checks passed: allow-list, mutual TLS to the nodes, GET and POST"

# load SCENARIO SYSTEM SECONDS: runs the load generator on the load core, prints one summary line
# "requests= errors= seconds= p50_us= p99_us= p999_us=" and the load generator's CPU ticks.
load() {
  local scenario=$1 system=$2 seconds=$3 get post raw rc=0
  get=$(url "$system" '/drapi/v1/tasks?from=0')
  post=$(url "$system" /drapi/v1/tasks)
  raw=$BENCH_STATE/load.out
  local -a cmd
  case $scenario in
    h1-get) cmd=(wrk -t1 -c64 -d"${seconds}s" -s "$bench_dir/lib/wrk.lua" "$get") ;;
    h1-post) cmd=(env BENCH_BODY_FILE="$body" wrk -t1 -c64 -d"${seconds}s" -s "$bench_dir/lib/wrk.lua" "$post") ;;
    h1-newconn) cmd=(env BENCH_CLOSE=1 wrk -t1 -c32 -d"${seconds}s" -s "$bench_dir/lib/wrk.lua" "$get") ;;
    h2-get) cmd=(h2load -t1 -c8 -m16 -D "$seconds" --warm-up-time 1 "$get") ;;
    h2-post) cmd=(h2load -t1 -c8 -m16 -D "$seconds" --warm-up-time 1 -d "$body" -H 'content-type: application/json' "$post") ;;
    lat-h1) cmd=(h2load --h1 -t1 -c"$LAT_CLIENTS" -m1 --rps "$((LAT_RATE / LAT_CLIENTS))" -D "$seconds" --warm-up-time 1 --log-file "$BENCH_STATE/latency.log" "$get") ;;
    lat-h2) cmd=(h2load -t1 -c"$LAT_CLIENTS" -m1 --rps "$((LAT_RATE / LAT_CLIENTS))" -D "$seconds" --warm-up-time 1 --log-file "$BENCH_STATE/latency.log" "$get") ;;
    *) die "unknown scenario $scenario" ;;
  esac
  rm -f "$BENCH_STATE/latency.log"
  # The subshell's cutime+cstime (fields 16 and 17 of /proc/PID/stat) is the load generator's CPU.
  bash -c 'taskset -c "$0" "$@" >"$BENCH_STATE/load.out" 2>&1; rc=$?; s=$(cat /proc/$$/stat); set -- ${s##*) }; echo "$((${14} + ${15}))" >"$BENCH_STATE/load.ticks"; exit $rc' \
    "$LOAD_CPU" "${cmd[@]}" || rc=$?
  cat "$raw" >>"$BENCH_STATE/logs/loadgen.log"
  python3 "$bench_dir/lib/parse_load.py" "$scenario" "$raw" "$BENCH_STATE/latency.log" || die "could not parse the load generator's output (rc $rc): $(tail -n 5 "$raw")"
  rm -f "$BENCH_STATE/latency.log"
}

busy_ticks() { # cpu -> busy clock ticks of that core so far (all but idle and iowait)
  awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

truncate_access_logs() {
  local system
  for system in edgeproxy edgeproxy-aot edgeproxy-before; do
    [[ -e $BENCH_STATE/logs/$system.log ]] && : >"$BENCH_STATE/logs/$system.log"
  done
  : >"$BENCH_STATE/logs/haproxy.log"
  : >"$BENCH_STATE/nginx-proxy.access.log"
}

# measure RUN SCENARIO SYSTEM: one measurement, appended to runs.jsonl; repeated (twice at most)
# when processes outside the bench took more than $DISTURBED of a core meanwhile.
measure() {
  local run=$1 scenario=$2 system=$3 attempt proc summary
  proc=$(measured_process "$system")
  for attempt in 1 2 3; do
    truncate_access_logs
    reset_peak_rss "$proc"
    local c0 n1 n2 b0 b1 t0 t1 c1 m1 m2 a0 a1
    c0=$(cpu_ticks "$proc"); n1=$(cpu_ticks node1); n2=$(cpu_ticks node2)
    b0=$(busy_ticks "$PROXY_CPU"); a0=$(busy_ticks "$LOAD_CPU"); t0=$(date +%s.%N)
    summary=$(load "$scenario" "$system" "$duration")
    t1=$(date +%s.%N); b1=$(busy_ticks "$PROXY_CPU"); a1=$(busy_ticks "$LOAD_CPU")
    c1=$(cpu_ticks "$proc"); m1=$(cpu_ticks node1); m2=$(cpu_ticks node2)
    local json
    json=$(python3 - "$summary" <<PY
import json, sys
fields = dict(kv.split("=", 1) for kv in sys.argv[1].split())
hz = $(getconf CLK_TCK)
wall = $t1 - $t0
proxy = ($c1 - $c0) / hz
bench_cpu = ($c1 - $c0 if "$system" != "direct" else 0) + ($m1 - $n1) + ($m2 - $n2) + $(cat "$BENCH_STATE/load.ticks")
foreign = max(0.0, (($b1 - $b0) + ($a1 - $a0) - bench_cpu) / hz / wall)
requests = int(fields["requests"])
seconds = float(fields["seconds"])
rec = {"run": $run, "scenario": "$scenario", "system": "$system", "attempt": $attempt,
       "requests": requests, "errors": int(fields["errors"]), "seconds": seconds,
       "rps": requests / seconds if seconds else 0.0,
       "p50_ms": int(fields["p50_us"]) / 1000, "p99_ms": int(fields["p99_us"]) / 1000, "p999_ms": int(fields["p999_us"]) / 1000,
       "cpu_s": proxy, "cpu_s_per_10k": proxy / requests * 10000 if requests else None,
       "core_busy": proxy / wall, "foreign_core_share": round(foreign, 3),
       "peak_rss_mb": $(peak_rss_kb "$proc") / 1024}
print(json.dumps(rec))
PY
)
    local foreign
    foreign=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["foreign_core_share"])' "$json")
    if python3 -c "import sys; sys.exit(0 if $foreign > $DISTURBED and $attempt < 3 else 1)"; then
      log "  $scenario $system: disturbed (other processes used $foreign of a core); repeating"
      echo "$json" >>"$out/disturbed.jsonl"
      sleep 5
      continue
    fi
    echo "$json" >>"$out/runs.jsonl"
    python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print("  %-10s %-9s %9.0f req/s  errors %d  p99 %.2f ms  cpu/10k %.3f s  busy %.2f  rss %.0f MB" % (r["scenario"], r["system"], r["rps"], r["errors"], r["p99_ms"], r["cpu_s_per_10k"] or 0, r["core_busy"], r["peak_rss_mb"]))' "$json" >&2
    return 0
  done
}

rotate() { # N words... -> the words rotated left by N (so every system leads some runs)
  local n=$1
  shift
  local -a w=("$@")
  local i
  for ((i = 0; i < ${#w[@]}; i++)); do printf '%s ' "${w[(i + n) % ${#w[@]}]}"; done
}

# Warm-up: JIT tiering (EdgeProxy) and connection pools (all); every system gets the same.
log "warm-up: ${warmup} s per throughput scenario per system"
for system in $systems; do
  for scenario in h1-get h1-post h2-get h2-post; do
    load "$scenario" "$system" "$warmup" >/dev/null
  done
done

rm -f "$out/disturbed.jsonl"
for ((run = 1; run <= runs; run++)); do
  log "run $run of $runs (${duration} s per measurement)"
  for scenario in $scenarios; do
    # shellcheck disable=SC2046
    for system in $(rotate "$((run - 1))" $systems); do
      measure "$run" "$scenario" "$system"
    done
  done
done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$repo_dir" rev-parse --short HEAD)$(git -C "$repo_dir" diff --quiet HEAD -- src || echo ' (src modified)')"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "dotnet: $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }') (EdgeProxy Release, DOTNET_PROCESSOR_COUNT=1)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*nginx\///')"
  echo "haproxy: $(haproxy -v | awk 'NR == 1 { print $3 }')"
  echo "wrk: $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'), h2load: $(h2load --version | awk '{ print $2 }')"
  echo "openssl: $(openssl version | awk '{ print $2 }')"
  echo "runs: $runs x ${duration} s, warm-up ${warmup} s per scenario, fixed rate $LAT_RATE req/s over $LAT_CLIENTS clients"
} >"$out/machine.txt"

if ((drill)) && [[ " $systems " == *" nginx "* || " $systems " == *" haproxy "* || " $systems " == *" edgeproxy "* ]]; then
  "$bench_dir/failover.sh" --out "$out" $( ((quick)) && echo --quick)
fi

python3 "$bench_dir/lib/report.py" "$out" $( ((readme)) && echo --readme "$bench_dir/README.md")
log "results in $out"
