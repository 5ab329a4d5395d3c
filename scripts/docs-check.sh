#!/usr/bin/env bash
# Runs what the documentation tells operators to type (issue 17 §4):
#  1. README.md's quick start: every ```sh block after <!-- docs-check: run --> runs, in order, each with
#     `bash -e -o pipefail`, from a scratch copy of env/ and certs-sample/; /srv/edgeproxy is rewritten to a scratch
#     directory and the image under test is tagged edgeproxy:1.0.0 for the run. A block after
#     <!-- docs-check: skip (reason) --> is reported SKIP with its reason; a ```sh block with neither marker FAILS,
#     so no documented command goes unrun silently. Then what the quick start promises is checked.
#  2. scripts/procedures/*.sh: the procedures of docs/operations.md, each checking its outcome.
# Everything runs in a private network namespace (loopback only). Needs root, podman, curl, openssl, python3 and
# the images scripts/container-test.sh builds (EDGEPROXY_IMAGE, EDGEPROXY_SIMULATOR_IMAGE override them).
#
# Usage: scripts/docs-check.sh [IMAGE]
# Prints PASS / FAIL / SKIP per step, then "docs-check: N passed, N failed, N skipped".
# Exit: 0 nothing failed, 1 something failed, 2 cannot run here.
[ -n "${1:-}" ] && export EDGEPROXY_IMAGE="$1"
source "$(dirname "${BASH_SOURCE[0]}")/procedures/lib.sh"
command -v python3 >/dev/null || cannot_run "python3 is not installed"
in_private_netns "$@"
cd "$root"

skipped=0
skip() { skipped=$((skipped + 1)); echo "SKIP  $*"; }
finish() {
  echo "docs-check: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit $?
}

work="$(mktemp -d /tmp/edgeproxy-docs-check.XXXXXX)"
tagged=false
cleanup() {
  podman rm -f -t 0 edgeproxy >/dev/null 2>&1
  # rmi of one name of an image with several removes that name only (untag without names would remove them all).
  $tagged && podman rmi localhost/edgeproxy:1.0.0 >/dev/null 2>&1
  rm -rf "$work"
}

# --- 1. the quick start --------------------------------------------------------------------------------------
# blocks.py writes one file per block (NN.run or NN.skip, the skip reason first) and names unmarked blocks.
python3 - "$root/README.md" "$work/blocks" <<'PY' || fail 'quick start: README.md has sh blocks without a docs-check marker (see above)'
import os, re, sys
readme, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
lines = open(readme).read().split("\n")
marker, n, bad, i = None, 0, 0, 0
while i < len(lines):
    line = lines[i]
    m = re.match(r"<!-- docs-check: (run|skip \((.*)\)) -->$", line.strip())
    if m:
        marker = ("run", "") if m.group(1) == "run" else ("skip", m.group(2))
    elif line.startswith("```"):
        lang = line[3:].strip()
        j = i + 1
        while not lines[j].startswith("```"):
            j += 1
        if lang in ("sh", "bash", "shell"):
            n += 1
            if marker is None:
                bad += 1
                print(f"README.md:{i + 1}: ```{lang} block without <!-- docs-check: run --> or <!-- docs-check: skip (reason) -->")
            else:
                with open(os.path.join(out, f"{n:02d}.{marker[0]}"), "w") as f:
                    f.write(f"# README.md:{i + 1}: {marker[1]}\n" + "\n".join(lines[i + 1:j]) + "\n")
        marker = None
        i = j
    elif line.strip():
        marker = marker if line.strip().startswith("<!--") else None
    i += 1
sys.exit(1 if bad else 0)
PY

if podman container exists edgeproxy; then
  skip "quick start: a container named edgeproxy already exists on this machine; the quick start's commands would clash with it"
  blocks=()
else
  trap cleanup EXIT
  if ! podman image exists edgeproxy:1.0.0; then
    podman tag "$image" edgeproxy:1.0.0 && tagged=true
  fi
  mkdir -p "$work/checkout" "$work/srv"
  cp -r "$root/env" "$root/certs-sample" "$work/checkout/"
  blocks=("$work"/blocks/*)
fi
broken=""
for block in "${blocks[@]}"; do
  where="$(head -n 1 "$block" | sed 's/^# \(README.md:[0-9]*\): .*/\1/')"
  first="$(sed -n '2p' "$block" | cut -c1-70)"
  if [[ "$block" == *.skip ]]; then
    skip "quick start $where '$first...': $(head -n 1 "$block" | sed 's/^# README.md:[0-9]*: //')"
    continue
  fi
  if [ -n "$broken" ]; then
    skip "quick start $where '$first...': not run, $broken failed"
    continue
  fi
  sed "s|/srv/edgeproxy|$work/srv/edgeproxy|g" "$block" >"$block.sh"
  if output="$(cd "$work/checkout" && bash -e -o pipefail "$block.sh" 2>&1)"; then
    pass "quick start $where '$first...'"
    sed 's/^/      | /' <<<"$output" | head -n 12
  else
    sed 's/^/      | /' <<<"$output" | tail -n 20
    fail "quick start $where '$first...' exited non-zero"
    broken="$where"
  fi
done

# What the quick start promises, once its blocks ran.
if ((${#blocks[@]})) && [ -z "$broken" ]; then
  # Polled with a deadline: on a loaded CI machine the first answers can take longer than a curl timeout.
  started=$SECONDS
  while :; do
    user="$(podman top edgeproxy huser 2>/dev/null | awk 'NR==2 { print $1 }')"
    ready="$(curl -sS --max-time 5 http://127.0.0.1:10001/readyz 2>/dev/null)"
    status="$(curl -sS --max-time 5 http://127.0.0.1:10001/reverseproxy_status 2>/dev/null)"
    logs="$(podman logs edgeproxy 2>&1)" # captured: grep -q on a pipe would fail the pipeline (SIGPIPE, pipefail)
    if [ "$user" = 10001 ] && [[ "$ready" == *"ready: configuration "* ]] && grep -q '"configuration"' <<<"$status" \
      && grep -q 'Now listening on: \\"https://\[::\]:443\\"' <<<"$logs"; then
      promised=true
      break
    fi
    ((SECONDS - started < 30)) || { promised=false; break; }
    sleep 1
  done
  if $promised; then
    pass "quick start: the container serves 443 as uid 10001; /readyz ('$ready') and /reverseproxy_status answer on the host's 127.0.0.1:10001"
  else
    fail "quick start: expected uid 10001, 443 bound and the status port on the host's loopback; got user '$user', readyz '$ready'"
  fi
fi
cleanup
trap - EXIT

# --- 2. the procedures -----------------------------------------------------------------------------------------
for procedure in "$root"/scripts/procedures/*.sh; do
  [ "$(basename "$procedure")" = lib.sh ] && continue
  output="$("$procedure" 2>&1)"
  status=$?
  sed 's/^/      | /' <<<"$output"
  case $status in
    0) pass "procedure $(basename "$procedure")" ;;
    2) skip "procedure $(basename "$procedure"): $(tail -n 1 <<<"$output")" ;;
    *) fail "procedure $(basename "$procedure")" ;;
  esac
done
finish
