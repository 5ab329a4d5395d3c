#!/usr/bin/env bash
# A/B of EdgeProxy builds or runtime settings side by side (README, Round 3): every variant runs at once on the
# proxy core, on its own port, against the bench's two nginx nodes (port 29445, so a running bench/run.sh is not
# disturbed); measurements are taken one variant at a time, and the caller interleaves them.
#   ab.sh nodes                                   start the two nodes
#   ab.sh start NAME BINARY [ENV=VAL...]          start a variant (dotnet_env plus ENV), port 29460 + its index
#   ab.sh floor                                   start the direct-forwarding floor (built by bench/run.sh) as "directfloor"
#   ab.sh measure h1-get|fixed|fixed-h2 SECONDS NAME...   one measurement per variant, a JSON line each: req/s,
#                                                  CPU s per 10k requests, peak RSS, context switches per request,
#                                                  log-writer wake-ups per second, load average, foreign core share
#   ab.sh idleall SECONDS NAME...                 CPU ms per minute of each variant, idle, measured together
#   ab.sh startup NAME BINARY [ENV=VAL...]        process start -> /readyz 200, and RSS then
#   ab.sh stop                                    stops everything it started (pid files under $BENCH_STATE)
# shellcheck disable=SC2046,SC2154,SC2206  # NAME=VALUE lists are split on purpose, as in run.sh
set -euo pipefail
export BENCH_STATE=${BENCH_STATE:-/tmp/edgeproxy-ab-$(id -u)}
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
NODE_PORT=29445
VAR=$BENCH_STATE/variants; mkdir -p $VAR
cmd=$1; shift
case $cmd in
nodes)
  # dotnet_env names the OpenSSL configuration of this state directory's EdgeProxy build.
  [ -x "$BENCH_STATE/edgeproxy/EdgeProxy" ] || build_edgeproxy
  "$bench_dir/lib/make-certs.sh" "$BENCH_STATE/certs" >/dev/null
  for n in node1 node2; do
    a=$NODE1; [ $n = node2 ] && a=$NODE2
    pid_alive $n && continue
    render_node $n $a active # both active, as in bench/run.sh; on this script's own port
    sed -i "s|19445|$NODE_PORT|g" "$BENCH_STATE/$n.conf"
    spawn $n taskset -c "$LOAD_CPU" nginx -e "$BENCH_STATE/logs/$n.log" -c "$BENCH_STATE/$n.conf" -p "$BENCH_STATE"
    wait_port $n $a $NODE_PORT
  done ;;
start)
  name=$1 bin=$2; shift 2
  [ -e $VAR/$name ] && die "$name is already running"
  i=$(ls $VAR | wc -l)
  port=$((29460 + i)) sport=$((29400 + i))
  echo "$port $sport" > $VAR/$name
  spawn $name env $(dotnet_env) "$@" NGX_PRXY_CLOUDCONNECT_PORT=$port NGX_PRXY_STATUS_PORT=$sport \
    NGX_CLOUDCONNECT_HOSTNAME=$NODE1:$NODE_PORT NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=$NODE2:$NODE_PORT \
    taskset -c $PROXY_CPU $bin --env $bench_dir/conf/edgeproxy.env
  wait_port $name $PROXY_ADDR $port ;;
floor)
  [ -x "$BENCH_STATE/directfloor/DirectFloor" ] || build_directfloor
  c=$BENCH_STATE/certs; echo "29459 0" > $VAR/directfloor
  spawn directfloor env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 $(dotnet_env) taskset -c $PROXY_CPU $BENCH_STATE/directfloor/DirectFloor \
    $PROXY_ADDR:29459 $c/proxy.crt $c/proxy.key $c/ca.crt https://$NODE1:$NODE_PORT
  wait_port directfloor $PROXY_ADDR 29459 ;;
measure)
  scen=$1 secs=$2; shift 2
  for name in "$@"; do
    read -r port sport < $VAR/$name
    u="https://$PROXY_ADDR:$port/drapi/v1/tasks?from=0"
    case $scen in
      h1-get) c=(wrk -t1 -c64 -d${secs}s -s $bench_dir/lib/wrk.lua "$u") ;;
      fixed) c=(h2load --h1 -t1 -c10 -m1 --rps 100 -D $secs --warm-up-time 1 "$u") ;;
      fixed-h2) c=(h2load -t1 -c10 -m1 --rps 100 -D $secs --warm-up-time 1 "$u") ;;
      idle) c=(sleep $secs) ;;
    esac
    pid=$(pid_of $name); reset_peak_rss $name
    csw() { local t tot=0 w=0 v; for t in /proc/$pid/task/*; do v=$(awk '/ctxt_switches/ { s += $2 } END { print s }' $t/status 2>/dev/null || echo 0); tot=$((tot + v)); grep -q '^EdgeProxy log' $t/comm 2>/dev/null && w=$((w + v)); done; echo "$tot $w"; }
    read -r cs0 ws0 < <(csw)
    hz=$(getconf CLK_TCK)
    busy() { awk '$1 ~ /^cpu[01]$/ { s += $2 + $3 + $4 + $7 + $8 + $9 } END { print s }' /proc/stat; }
    p0=$(cpu_ticks $name); n0=$(( $(cpu_ticks node1) + $(cpu_ticks node2) )); b0=$(busy); t0=$(date +%s.%N); la=$(cut -d' ' -f1 /proc/loadavg)
    bash -c 'taskset -c "$0" "$@" >"$BENCH_STATE/load.out" 2>&1; s=$(cat /proc/$$/stat); set -- ${s##*) }; echo "$((${14} + ${15}))" >"$BENCH_STATE/load.ticks"' $LOAD_CPU "${c[@]}" || true
    read -r cs1 ws1 < <(csw)
    t1=$(date +%s.%N); b1=$(busy); p1=$(cpu_ticks $name); n1=$(( $(cpu_ticks node1) + $(cpu_ticks node2) ))
    if [ $scen = idle ]; then req=0; else
      s=$(python3 $bench_dir/lib/parse_load.py $scen "$BENCH_STATE/load.out" /dev/null); req=$(echo "$s" | sed 's/.*requests=\([0-9]*\).*/\1/'); sec=$(echo "$s" | sed 's/.*seconds=\([0-9.]*\).*/\1/'); fi
    err=$(echo "${s:-errors=0}" | sed 's/.*errors=\([0-9]*\).*/\1/')
    python3 -c "
import json
hz=$hz; wall=$t1-$t0; cpu=($p1-$p0)/hz; req=$req
foreign=max(0.0,(($b1-$b0)-($p1-$p0)-($n1-$n0)-$(cat $BENCH_STATE/load.ticks))/hz/wall)
print(json.dumps(dict(scen='$scen',name='$name',rps=round(req/${sec:-1},1),errors=$err,cpu_s=round(cpu,3),cpu_per_10k=round(cpu/req*1e4,4) if req else None,
  core=round(cpu/wall,3),hwm_mb=round($(peak_rss_kb $name)/1024,1),load1=$la,csw_per_req=round(($cs1-$cs0)/req,4) if req else None,writer_wakes_per_s=round(($ws1-$ws0)/wall,1),foreign=round(foreign,3))))"
  done ;;
idleall)
  secs=$1; shift; declare -A c0
  la=$(cut -d' ' -f1 /proc/loadavg)
  for n in "$@"; do c0[$n]=$(cpu_ticks $n); done; sleep $secs
  for n in "$@"; do echo "{\"scen\": \"idle\", \"name\": \"$n\", \"cpu_ms_per_min\": $(( ($(cpu_ticks $n) - ${c0[$n]}) * 10 * 60 / secs )), \"load1\": $la}"; done ;;
startup)
  # startup NAME BINARY [ENV...]: process start -> /readyz 200 on the status port, pinned like the rest
  name=$1 bin=$2; shift 2; port=29490 sport=29491
  t0=$(date +%s%N)
  spawn $name env $(dotnet_env) "$@" NGX_PRXY_CLOUDCONNECT_PORT=$port NGX_PRXY_STATUS_PORT=$sport \
    NGX_CLOUDCONNECT_HOSTNAME=$NODE1:$NODE_PORT NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=$NODE2:$NODE_PORT \
    taskset -c $PROXY_CPU $bin --env $bench_dir/conf/edgeproxy.env
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://$PROXY_ADDR:$sport/readyz)" = 200 ]; do sleep 0.01; done
  t1=$(date +%s%N);
  rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$(pid_of $name)/status)
  stop $name
  echo "{\"scen\": \"startup\", \"name\": \"$name\", \"ready_ms\": $(( (t1 - t0) / 1000000 )), \"rss_ready_mb\": $((rss / 1024)), \"load1\": $(cut -d' ' -f1 /proc/loadavg)}" ;;
stop) stop_all; rm -rf $VAR ;;
esac
