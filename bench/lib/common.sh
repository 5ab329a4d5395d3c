# Shared by bench/run.sh and bench/failover.sh: the bench topology, rendering the peers'
# configurations, starting and stopping the processes this bench owns (pid files under
# $BENCH_STATE/pids, never a kill by name), and reading CPU time and peak RSS from /proc.
# shellcheck shell=bash

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_dir=$(cd "$bench_dir/.." && pwd)
export BENCH_STATE=${BENCH_STATE:-/tmp/edgeproxy-bench-$(id -u)}
mkdir -p "$BENCH_STATE/pids" "$BENCH_STATE/logs"

# Topology (127.0.0.5x and ports 19xxx, so nothing clashes with the lab or the tests).
PROXY_ADDR=127.0.0.51
declare -A PORT=([edgeproxy]=19441 [nginx]=19442 [haproxy]=19443 [yarp]=19447 [directfloor]=19448 [direct]=19446
  [edgeproxy-aot]=19449 [edgeproxy-before]=19450)
declare -A HOST=([edgeproxy]=$PROXY_ADDR [nginx]=$PROXY_ADDR [haproxy]=$PROXY_ADDR [yarp]=$PROXY_ADDR [directfloor]=$PROXY_ADDR [direct]=127.0.0.53
  [edgeproxy-aot]=$PROXY_ADDR [edgeproxy-before]=$PROXY_ADDR)
# The status listeners of EdgeProxy and its variants (edgeproxy-aot, edgeproxy-before: see start_edgeproxy).
declare -A STATUS_PORT=([edgeproxy]=19401 [edgeproxy-aot]=19402 [edgeproxy-before]=19403)
NODE1=127.0.0.53
NODE2=127.0.0.54
NODE_PORT=19445

# CPU pinning: each proxy on core 0, the load generator and the nodes on core 1.
PROXY_CPU=${BENCH_PROXY_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}

# The node's fixed answer: about the size of a task from the task API.
NODE_BODY='{"id":"0b5d1a2e-6f0c-4c47-9a53-3f7c2a1d9e10","mediaType":"chat","name":"bench task","state":"open","createdAt":1764331200000,"updatedAt":1764331200000,"closedAt":null,"seq":42,"tags":["bench"],"variables":{"queue":"support","language":"en"}}'

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

render() { # template output [extra sed expressions...]
  local template=$1 output=$2
  shift 2
  sed -e "s|@STATE@|$BENCH_STATE|g" "$@" "$template" >"$output"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # name host port
  local i
  for ((i = 0; i < 200; i++)); do
    port_open "$2" "$3" && return 0
    # kill -0, not pid_alive: right after the fork the child's command line is still the shell's.
    kill -0 "$(pid_of "$1")" 2>/dev/null || die "$1 exited during start-up; see $BENCH_STATE/logs/$1.log"
    sleep 0.1
  done
  die "$1 did not listen on $2:$3 within 20 s; see $BENCH_STATE/logs/$1.log"
}

pid_of() { cat "$BENCH_STATE/pids/$1.pid" 2>/dev/null; }

# A pid file is trusted only while its process still runs from this bench (its environment carries
# this BENCH_STATE, or its command line names it), so a recycled pid of someone else's process is
# never signalled.
pid_alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF -- "BENCH_STATE=$BENCH_STATE" && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$BENCH_STATE"
}

spawn() { # name command...   (runs in the background, stdout/stderr appended to logs/NAME.log)
  local name=$1
  shift
  "$@" >>"$BENCH_STATE/logs/$name.log" 2>&1 &
  echo $! >"$BENCH_STATE/pids/$name.pid"
}

stop() { # name
  local name=$1 pid i
  if pid_alive "$name"; then
    pid=$(pid_of "$name")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$BENCH_STATE/pids/$name.pid"
}

stop_all() {
  local f
  for f in "$BENCH_STATE"/pids/*.pid; do
    [[ -e $f ]] && stop "$(basename "$f" .pid)"
  done
  return 0
}

# The processes that make up a system: its main pid and (nginx) its workers.
pids_of_system() { # name
  local pid
  pid=$(pid_of "$1") || return 0
  echo "$pid"
  pgrep -P "$pid" 2>/dev/null || true
}

cpu_ticks() { # name -> utime+stime of all its processes, in clock ticks
  local total=0 pid fields
  for pid in $(pids_of_system "$1"); do
    # Fields after the ")" of the command name: utime is the 12th, stime the 13th.
    fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a f <<<"$fields"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

reset_peak_rss() { # name
  local pid
  for pid in $(pids_of_system "$1"); do
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  done
}

peak_rss_kb() { # name -> sum of VmHWM of its processes
  local total=0 pid kb
  for pid in $(pids_of_system "$1"); do
    kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

render_node() { # node1|node2 address active|standby
  local name=$1 address=$2 ping dr
  if [[ $3 == standby ]]; then
    ping="503 '{\"status\":\"standby\"}'" dr=$ping
  else
    ping="200 '{\"status\":\"active\",\"node\":\"$name\"}'" dr="200 '$NODE_BODY'"
  fi
  render "$bench_dir/conf/upstream-nginx.conf.in" "$BENCH_STATE/$name.conf" \
    -e "s|@PING@|$ping|g" -e "s|@DR@|$dr|g" -e "s|@NODE@|$name|g" -e "s|@ADDR@|$address|g" -e "s|@BODY@|$NODE_BODY|g"
}

# Switches a running node between Digital Routing active and standby (nginx reload: new requests get the new mode).
node_mode() { # node1|node2 active|standby
  local name=$1 address
  [[ $name == node1 ]] && address=$NODE1 || address=$NODE2
  render_node "$name" "$address" "$2"
  nginx -c "$BENCH_STATE/$name.conf" -p "$BENCH_STATE" -s reload 2>>"$BENCH_STATE/logs/$name.log"
}

start_node() { # node1|node2 address [active|standby]
  local name=$1 address=$2
  pid_alive "$name" && return 0
  render_node "$name" "$address" "${3:-active}"
  spawn "$name" taskset -c "$LOAD_CPU" nginx -e "$BENCH_STATE/logs/$name.log" -c "$BENCH_STATE/$name.conf" -p "$BENCH_STATE"
  wait_port "$name" "$address" "$NODE_PORT"
}

start_nginx() {
  pid_alive nginx && return 0
  render "$bench_dir/conf/proxy-nginx.conf.in" "$BENCH_STATE/nginx-proxy.conf"
  spawn nginx taskset -c "$PROXY_CPU" nginx -e "$BENCH_STATE/logs/nginx.log" -c "$BENCH_STATE/nginx-proxy.conf" -p "$BENCH_STATE"
  wait_port nginx "$PROXY_ADDR" "${PORT[nginx]}"
}

start_haproxy() {
  pid_alive haproxy && return 0
  render "$bench_dir/conf/haproxy.cfg.in" "$BENCH_STATE/haproxy.cfg"
  # -db: foreground; the access log goes to stdout, appended to logs/haproxy.log like EdgeProxy's.
  spawn haproxy taskset -c "$PROXY_CPU" haproxy -db -f "$BENCH_STATE/haproxy.cfg"
  wait_port haproxy "$PROXY_ADDR" "${PORT[haproxy]}"
}

publish() { # name project output-dir [publish options...]: a Release build, its log in logs/build-DIR.log
  local name=$1 project=$2 output=$3 build_log
  shift 3
  build_log=$BENCH_STATE/logs/build-$(basename "$output").log
  log "building $name (Release)"
  dotnet publish "$project" -c Release -o "$output" --nologo -v quiet "$@" >"$build_log" 2>&1 \
    || { cat "$build_log" >&2; die "$name build failed"; }
}

# The runtime settings for EdgeProxy and the two floors alike: one core, as the peers get, and
# DOTNET_TC_CallCountingDelayMs, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit and OPENSSL_CONF as the container
# image sets them (see the Dockerfile).
# BENCH_EDGEPROXY_ENV adds more (space-separated NAME=VALUE), e.g. to try a GC setting.
dotnet_env() {
  # shellcheck disable=SC2086
  echo DOTNET_PROCESSOR_COUNT=1 DOTNET_TC_CallCountingDelayMs=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "OPENSSL_CONF=$BENCH_STATE/edgeproxy/openssl-edgeproxy.cnf" ${BENCH_EDGEPROXY_ENV:-}
}

build_edgeproxy() { publish EdgeProxy "$repo_dir/src/EdgeProxy/EdgeProxy.csproj" "$BENCH_STATE/edgeproxy"; }

# Two variants of EdgeProxy to compare with it in the same run (not what the image ships):
#   edgeproxy-aot     this commit published with Native AOT (OptimizationPreference=Speed); needs clang and zlib1g-dev.
#   edgeproxy-before  the commit in BENCH_BEFORE (default 9b5089c: the request path before issue 15, YARP's route and
#                     cluster model), run as the image ran it then: without DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0.
build_edgeproxy_aot() {
  command -v clang >/dev/null || die "edgeproxy-aot needs clang and zlib1g-dev (apt-get install -y clang zlib1g-dev)"
  publish "EdgeProxy (Native AOT)" "$repo_dir/src/EdgeProxy/EdgeProxy.csproj" "$BENCH_STATE/edgeproxy-aot" \
    -r linux-x64 -p:PublishAot=true -p:OptimizationPreference=Speed
}

build_edgeproxy_before() {
  local commit=${BENCH_BEFORE:-9b5089c} source=$BENCH_STATE/before-source
  rm -rf "$source"
  mkdir -p "$source"
  git -C "$repo_dir" archive "$commit" | tar -x -C "$source"
  publish "EdgeProxy at $commit" "$source/src/EdgeProxy/EdgeProxy.csproj" "$BENCH_STATE/edgeproxy-before"
}

start_edgeproxy() { # [edgeproxy|edgeproxy-aot|edgeproxy-before]: the bench's env file, on the system's own ports
  local system=${1:-edgeproxy} settings
  pid_alive "$system" && return 0
  # The env file lifts the limits for the load generator's address.
  sed -e "s/^NGX_PRXY_CLOUDCONNECT_PORT=.*/NGX_PRXY_CLOUDCONNECT_PORT=${PORT[$system]}/" \
    -e "s/^NGX_PRXY_STATUS_PORT=.*/NGX_PRXY_STATUS_PORT=${STATUS_PORT[$system]}/" "$bench_dir/conf/edgeproxy.env" >"$BENCH_STATE/$system.env"
  settings=$(dotnet_env)
  [[ $system == edgeproxy-before ]] && settings=${settings/DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 /}
  # shellcheck disable=SC2086
  spawn "$system" env $settings taskset -c "$PROXY_CPU" "$BENCH_STATE/$system/EdgeProxy" --env "$BENCH_STATE/$system.env"
  wait_port "$system" "$PROXY_ADDR" "${PORT[$system]}"
}

# The framework floor (bench/YarpFloor): Kestrel + YARP forwarding over mutual TLS to node1 and nothing
# else, with EdgeProxy's runtime settings; what the stack costs before EdgeProxy adds anything.
build_yarp() { publish "the YARP floor" "$bench_dir/YarpFloor/YarpFloor.csproj" "$BENCH_STATE/yarp"; }

start_floor() { # system binary: both floors take the same arguments (listen, certificate, key, CA, node)
  local system=$1 binary=$2 certs=$BENCH_STATE/certs
  pid_alive "$system" && return 0
  # EdgeProxy sets the inline-completions default itself (Hosting/InlineIo.cs); the floors get it here.
  # shellcheck disable=SC2046
  spawn "$system" env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 $(dotnet_env) \
    taskset -c "$PROXY_CPU" "$BENCH_STATE/$system/$binary" "$PROXY_ADDR:${PORT[$system]}" "$certs/proxy.crt" "$certs/proxy.key" \
    "$certs/ca.crt" "https://$NODE1:$NODE_PORT"
  wait_port "$system" "$PROXY_ADDR" "${PORT[$system]}"
}

# The direct-forwarding floor (bench/DirectFloor): Kestrel + YARP's IHttpForwarder over mutual TLS to node1
# and nothing else, the way EdgeProxy forwards; with EdgeProxy's runtime settings.
build_directfloor() { publish "the direct-forwarding floor" "$bench_dir/DirectFloor/DirectFloor.csproj" "$BENCH_STATE/directfloor"; }

start_nodes() {
  [[ -x /usr/sbin/nginx || -x /usr/bin/nginx ]] || die "nginx is not installed (apt-get install -y nginx)"
  "$bench_dir/lib/make-certs.sh" "$BENCH_STATE/certs"
  start_node node1 "$NODE1"
  start_node node2 "$NODE2"
}

start_system() { # direct|edgeproxy|edgeproxy-aot|edgeproxy-before|nginx|haproxy|yarp|directfloor
  case $1 in
    direct) ;;
    edgeproxy | edgeproxy-aot | edgeproxy-before) start_edgeproxy "$1" ;;
    yarp) start_floor yarp YarpFloor ;;
    directfloor) start_floor directfloor DirectFloor ;;
    nginx) start_nginx ;;
    haproxy) start_haproxy ;;
  esac
}

# The process whose CPU and memory a system's figures report (direct: the node).
measured_process() { [[ $1 == direct ]] && echo node1 || echo "$1"; }

url() { # system path
  echo "https://${HOST[$1]}:${PORT[$1]}$2"
}
