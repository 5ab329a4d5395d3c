#!/usr/bin/env bash
# Stops whatever bench/run.sh --keep or an interrupted run left running (only processes recorded in
# the bench's pid files whose command line names the bench state directory).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
stop_all
log "stopped"
