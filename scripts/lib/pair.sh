# Shared by scripts/pair-lab.sh (processes on loopback) and scripts/container-test.sh (the images in a pod): the env
# file of one instance of the pair, and HAProxy's view of the pair. Sourced, not run.

# pair_env_file OUT KEY=VALUE...: env/lab.env with each KEY's line replaced (or appended), written to OUT.
pair_env_file() {
  local out=$1 setting
  shift
  cp env/lab.env "$out.new"
  for setting in "$@"; do
    awk -v key="${setting%%=*}" -v value="${setting#*=}" '
      index($0, key "=") == 1 { print key "=" value; done = 1; next }
      { print }
      END { if (!done) print key "=" value }' "$out.new" >"$out.tmp"
    mv "$out.tmp" "$out.new"
  done
  mv "$out.new" "$out"
}

# pair_stats_cfg OUT ADDRESS:PORT: the HAProxy stats page the scripts read the servers' state from.
pair_stats_cfg() {
  cat >"$1" <<CFG
# Added by the EdgeProxy lab scripts: the stats page they read the servers' state from.
listen stats
    mode http
    bind $2
    stats enable
    stats uri /stats
CFG
}

# pair_lb_state STATS SERVER [RUN...]: the server's status in HAProxy's stats (UP, DOWN, "UP 1/2" while rising, ...);
# RUN... prefixes curl (e.g. nsenter into a network namespace).
pair_lb_state() {
  local stats=$1 server=$2
  shift 2
  "$@" curl -s --max-time 2 "http://$stats/stats;csv" | awk -F, -v s="$server" '$1 == "edgeproxy_pair" && $2 == s { print $18 }'
}
