#!/usr/bin/env bash
# Where a proxy's CPU goes, per request: HTTP/1.1 GET under wrk (64 connections, as bench/run.sh's h1-get), the same
# pinning and runtime settings, `perf record` of the proxy's process for a window of the load, and its samples grouped
# into the parts of the stack (bench/lib/perf_modules.py) as microseconds of CPU per request.
#
#   bench/profile.sh edgeproxy edgeproxy-before directfloor    # any of: edgeproxy edgeproxy-before yarp directfloor
#   options (environment): PROFILE_SECONDS (window, default 10), PROFILE_WARMUP (default 15)
#
# Uses the builds bench/run.sh left in $BENCH_STATE (run it first, with the same systems); JIT frames are named through
# DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0, which the systems profiled here get in addition. Writes bench/results/latest-profile/.
# Needs perf (apt-get install -y linux-perf) and what bench/run.sh needs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
(($#)) || die "name the systems to profile (see the top of this script)"
command -v perf >/dev/null || die "perf not found (apt-get install -y linux-perf)"
seconds=${PROFILE_SECONDS:-10} warmup=${PROFILE_WARMUP:-15}
out=${PROFILE_OUT:-$bench_dir/results/latest-profile}
mkdir -p "$out"
# W^X off: with it on, JIT code runs from a memfd double mapping that perf cannot name through the perf map.
export BENCH_EDGEPROXY_ENV="${BENCH_EDGEPROXY_ENV:-} DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0"
for system in "$@"; do
  [[ -x $BENCH_STATE/$system/$(case $system in edgeproxy*) echo EdgeProxy ;; yarp) echo YarpFloor ;; directfloor) echo DirectFloor ;; *) echo none ;; esac) ]] \
    || die "no build of $system in $BENCH_STATE: run bench/run.sh --systems \"... $system\" first"
done
trap stop_all EXIT
stop_all
start_nodes
for system in "$@"; do
  start_system "$system"
  get=$(url "$system" '/drapi/v1/tasks?from=0')
  taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${warmup}s" "$get" >/dev/null
  pid=$(pid_of "$system")
  taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$((seconds + 2))s" -s "$bench_dir/lib/wrk.lua" "$get" >"$out/$system.wrk" &
  load_pid=$!
  sleep 1 # into the load window: a pause, not a synchronisation
  c0=$(cpu_ticks "$system")
  perf record -q -F 999 -p "$pid" -o "$out/$system.perf.data" -- sleep "$seconds" 2>/dev/null
  c1=$(cpu_ticks "$system")
  wait "$load_pid"
  # The request rate of the whole load run, the CPU of the recorded window: CPU per request.
  read -r requests duration_us < <(sed -n 's/^BENCH requests=\([0-9]*\) duration_us=\([0-9]*\).*/\1 \2/p' "$out/$system.wrk")
  cpu_us=$(python3 -c "import sys; r, d, c, hz, s = map(float, sys.argv[1:]); print(c / hz * 1e6 / (r / d * 1e6 * s))" \
    "$requests" "$duration_us" "$((c1 - c0))" "$(getconf CLK_TCK)" "$seconds")
  perf report -i "$out/$system.perf.data" --no-children --sort dso,sym --stdio -q 2>/dev/null >"$out/$system.report"
  {
    echo "# $system: $((requests * 1000000 / duration_us)) req/s, $cpu_us us of CPU per request"
    python3 "$bench_dir/lib/perf_modules.py" "$out/$system.report" "$cpu_us"
  } | tee "$out/$system.modules"
  stop "$system"
  rm -f "$out/$system.perf.data"
done
