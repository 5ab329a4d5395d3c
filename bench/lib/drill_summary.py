"""Summarises one failover drill from h2load's per-request log (start µs, status, duration µs).

Usage: drill_summary.py SYSTEM METHOD KILLED_US LOG OUTPUT NODE2_TICKS [SCENARIO]  -> one JSON line
(SCENARIO: kill, the default, or a planned switch-over; "the kill" is then its first step)
- errors_after_kill: requests sent at or after the kill that did not get a 2xx (the target is 0)
- failed_in_flight: requests sent before the kill, answered after it, without a 2xx
- client_failures: requests h2load counted as failed at the socket level (no status at all)
- recovery_ms: from the kill to the first 2xx answer to a request sent after it
- longest_pause_ms: the longest time without any 2xx answer, from half a second before the kill
- max_latency_after_ms: the slowest answer among requests sent in the second after the kill
"""
import json
import re
import sys

system, method, killed, log_path, output_path, node2_ticks = sys.argv[1:7]
scenario = sys.argv[7] if len(sys.argv) > 7 else "kill"
killed = int(killed)
rows = []
with open(log_path) as log:
    for line in log:
        parts = line.split("\t")
        if len(parts) == 3:
            rows.append((int(parts[0]), int(parts[1]), int(parts[2])))

ok = lambda status: 200 <= status < 300
after = [r for r in rows if r[0] >= killed]
in_flight = [r for r in rows if r[0] < killed <= r[0] + r[2]]
text = open(output_path, errors="replace").read()
counts = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text, re.M)
client_failures = int(counts.group(5)) if counts else None

ends = sorted(r[0] + r[2] for r in rows if ok(r[1]) and r[0] + r[2] >= killed - 500_000)
pauses = [b - a for a, b in zip(ends, ends[1:])]
first_ok_after = min((r[0] + r[2] for r in after if ok(r[1])), default=None)
soon_after = [r[2] for r in after if r[0] < killed + 1_000_000]
statuses = {}
for r in after:
    if not ok(r[1]):
        statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1

print(json.dumps({
    "system": system,
    "method": method,
    "scenario": scenario,
    "status": "done",
    "requests": len(rows),
    "sent_after_kill": len(after),
    "errors_after_kill": sum(1 for r in after if not ok(r[1])),
    "error_statuses_after_kill": statuses,
    "failed_in_flight": sum(1 for r in in_flight if not ok(r[1])),
    "client_failures": client_failures,
    "recovery_ms": round((first_ok_after - killed) / 1000, 1) if first_ok_after else None,
    "longest_pause_ms": round(max(pauses) / 1000, 1) if pauses else None,
    "max_latency_after_ms": round(max(soon_after) / 1000, 1) if soon_after else None,
    "node2_served": int(node2_ticks) > 0,
}))
