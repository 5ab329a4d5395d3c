"""Turns wrk's or h2load's output into one line: requests= errors= seconds= p50_us= p99_us= p999_us=.

Usage: parse_load.py SCENARIO OUTPUT_FILE LATENCY_LOG
requests counts 2xx answers only; errors counts everything else the client saw (non-2xx, socket
errors, timeouts). For the fixed-rate scenarios the percentiles come from h2load's per-request log
(--log-file: start time, status, duration in microseconds), otherwise from the tool's own figures
(wrk) or 0 (h2load in closed loop, where only throughput is reported).
"""
import os
import re
import sys


def percentiles(path):
    durations = []
    with open(path) as log:
        for line in log:
            parts = line.split("\t")
            if len(parts) == 3:
                durations.append(int(parts[2]))
    durations.sort()
    if not durations:
        return 0, 0, 0

    def pick(q):
        return durations[min(len(durations) - 1, int(q * len(durations)))]

    return pick(0.50), pick(0.99), pick(0.999)


def main():
    scenario, output, latency_log = sys.argv[1:4]
    text = open(output, errors="replace").read()
    bench = re.search(r"^BENCH (.*)$", text, re.M)
    if bench:  # wrk, through bench/lib/wrk.lua
        f = {k: int(v) for k, v in (kv.split("=") for kv in bench.group(1).split())}
        errors = f["non2xx"] + f["connect"] + f["read"] + f["write"] + f["timeout"]
        requests = f["requests"] - f["non2xx"]
        seconds = f["duration_us"] / 1e6
        p50, p99, p999 = f["p50_us"], f["p99_us"], f["p999_us"]
    else:  # h2load
        rate = re.search(r"^finished in [\d.]+m?s, ([\d.]+) req/s", text, re.M)
        counts = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text, re.M)
        codes = re.search(r"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text, re.M)
        if not (rate and counts and codes):
            raise SystemExit("no h2load summary in " + output)
        done, failed = int(counts.group(3)), int(counts.group(5))
        ok = int(codes.group(1))
        requests = ok
        errors = max(0, done - ok) + failed
        rps = float(rate.group(1))
        seconds = done / rps if rps else 0.0
        p50 = p99 = p999 = 0
        if os.path.exists(latency_log):
            p50, p99, p999 = percentiles(latency_log)
    print(f"requests={requests} errors={errors} seconds={seconds:.3f} p50_us={p50} p99_us={p99} p999_us={p999}")


main()
