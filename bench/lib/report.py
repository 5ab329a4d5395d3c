"""Medians, ratios to nginx, tables and the chart for one bench run.

Usage: report.py RESULTS_DIR [--readme bench/README.md]
Reads RESULTS_DIR/runs.jsonl (one line per measurement), drill-*.json and machine.txt; writes
RESULTS_DIR/summary.md and RESULTS_DIR/headline.png; with --readme, replaces the part of the README
between the bench:results markers with the same tables.
"""
import json
import os
import statistics
import sys

SYSTEMS = ["edgeproxy", "edgeproxy-aot", "edgeproxy-before", "nginx", "haproxy", "yarp", "directfloor", "direct"]
NAMES = {"edgeproxy": "EdgeProxy", "edgeproxy-aot": "EdgeProxy AOT", "edgeproxy-before": "EdgeProxy before",
         "nginx": "nginx", "haproxy": "HAProxy", "yarp": "YARP floor", "directfloor": "direct-forwarding floor", "direct": "node direct"}
SCENARIOS = {
    "h1-get": "HTTP/1.1 keep-alive, GET (wrk, 64 connections, closed loop)",
    "h1-post": "HTTP/1.1 keep-alive, 1 KB JSON POST (wrk, 64 connections, closed loop)",
    "h2-get": "HTTP/2, GET (h2load, 8 connections x 16 streams, closed loop)",
    "h2-post": "HTTP/2, 1 KB JSON POST (h2load, 8 connections x 16 streams, closed loop)",
    "h1-newconn": "New connections: one GET per TLS connection (wrk, 32 connections, `Connection: close`)",
    "lat-h1": "Latency at a fixed rate, HTTP/1.1 GET (h2load --h1, 10 clients x 100 req/s)",
    "lat-h2": "Latency at a fixed rate, HTTP/2 GET (h2load, 10 clients x 100 req/s)",
}
LATENCY = {"lat-h1", "lat-h2"}
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def load(results):
    rows = []
    with open(os.path.join(results, "runs.jsonl")) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    drills = []
    for name in sorted(os.listdir(results)):
        if name.startswith("drill-") and name.endswith(".json"):
            with open(os.path.join(results, name)) as f:
                drills.append(json.loads(f.read()))
    machine = ""
    if os.path.exists(os.path.join(results, "machine.txt")):
        machine = open(os.path.join(results, "machine.txt")).read().strip()
    return rows, drills, machine


def medians(rows):
    """{(scenario, system): {field: median}} over the runs."""
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["system"]), []).append(r)
    out = {}
    for key, group in groups.items():
        m = {"runs": len(group), "errors": sum(r["errors"] for r in group)}
        for field in ("rps", "p50_ms", "p99_ms", "p999_ms", "cpu_s_per_10k", "core_busy", "peak_rss_mb"):
            values = [r[field] for r in group if r.get(field) is not None]
            m[field] = statistics.median(values) if values else None
            m[field + "_all"] = values
        out[key] = m
    return out


def fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def scenario_table(scenario, med):
    present = [s for s in SYSTEMS if (scenario, s) in med]
    nginx = med.get((scenario, "nginx"), {})
    direct = med.get((scenario, "direct"), {})
    lines = [f"**{SCENARIOS.get(scenario, scenario)}**", ""]
    if scenario in LATENCY:
        lines += ["| system | p50 ms | p99 ms | p99.9 ms | p99 added to direct, ms | p99 vs nginx | CPU s / 10k req | peak RSS MB | errors | runs |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for s in present:
            m = med[(scenario, s)]
            added = "-" if s == "direct" or direct.get("p99_ms") is None else f"{m['p99_ms'] - direct['p99_ms']:+.2f}"
            lines.append(f"| {NAMES[s]} | {fmt(m['p50_ms'], 2)} | {fmt(m['p99_ms'], 2)} | {fmt(m['p999_ms'], 2)} | {added} | "
                         f"{ratio(m['p99_ms'], nginx.get('p99_ms'))} | {fmt(m['cpu_s_per_10k'], 3)} | {fmt(m['peak_rss_mb'])} | {m['errors']} | {m['runs']} |")
    else:
        unit = "connections/s" if scenario == "h1-newconn" else "req/s"
        lines += [f"| system | {unit} (median) | vs nginx | runs (req/s) | CPU s / 10k req | proxy core busy | peak RSS MB | errors |",
                  "|---|---:|---:|---|---:|---:|---:|---:|"]
        for s in present:
            m = med[(scenario, s)]
            each = " / ".join(fmt(v) for v in m["rps_all"])
            busy = "-" if s == "direct" else f"{m['core_busy'] * 100:.0f}%"
            lines.append(f"| {NAMES[s]} | {fmt(m['rps'])} | {ratio(m['rps'], nginx.get('rps'))} | {each} | "
                         f"{fmt(m['cpu_s_per_10k'], 3)} | {busy} | {fmt(m['peak_rss_mb'])} | {m['errors']} |")
    return "\n".join(lines)


def headline_table(med):
    """One column per system in the run; then each proxy / nginx, and EdgeProxy / each floor (the issue-15 goal:
    EdgeProxy >= 0.9x its floor)."""
    present = [s for s in SYSTEMS if any(sy == s for (_, sy) in med)]
    vs_nginx = [s for s in present if s not in ("nginx", "direct")] if "nginx" in present else []
    vs_floor = [(e, f) for e in present if e.startswith("edgeproxy") for f in ("directfloor", "yarp") if f in present]
    head = [NAMES[s] for s in present] + [f"{NAMES[s]} / nginx" for s in vs_nginx] + [f"{NAMES[e]} / {NAMES[f]}" for e, f in vs_floor]
    lines = ["| scenario | " + " | ".join(head) + " |", "|---|" + "---:|" * len(head)]

    def row(label, v, digits):
        cells = [fmt(v[s], digits) for s in present] + [ratio(v[s], v.get("nginx")) for s in vs_nginx] + [ratio(v[e], v[f]) for e, f in vs_floor]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    for scenario in SCENARIOS:
        if not any((scenario, s) in med for s in present):
            continue
        field, digits, unit = ("p99_ms", 2, "p99 ms") if scenario in LATENCY else ("rps", 0, "conn/s" if scenario == "h1-newconn" else "req/s")
        row(f"{scenario} ({unit})", {s: med.get((scenario, s), {}).get(field) for s in present}, digits)
    rss = {s: max((m["peak_rss_mb"] for (sc, sy), m in med.items() if sy == s and m["peak_rss_mb"] is not None), default=None) for s in present}
    row("peak RSS under load (MB)", rss, 0)
    cpu = {s: med.get(("lat-h1", s), {}).get("cpu_s_per_10k") for s in present}
    if any(cpu.values()):
        row("CPU s per 10k requests at the fixed rate (lat-h1)", cpu, 3)
    return "\n".join(lines)


def drill_table(drills, scenario="kill"):
    drills = [d for d in drills if d.get("scenario", "kill") == scenario]
    if not drills:
        return ""
    lines = ["| system | method | errors after the kill | failed in flight | socket failures | first 2xx after kill, ms | longest pause, ms | slowest answer in the next second, ms | backup served |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    order = {s: i for i, s in enumerate(SYSTEMS)}
    for d in sorted(drills, key=lambda d: (order.get(d["system"], 9), d["method"])):
        if d.get("status") != "done":
            lines.append(f"| {NAMES.get(d['system'], d['system'])} | {d['method'].upper()} | {d['status']}: {d.get('reason', '')} | | | | | | |")
            continue
        lines.append(f"| {NAMES.get(d['system'], d['system'])} | {d['method'].upper()} | {d['errors_after_kill']} of {d['sent_after_kill']} | "
                     f"{d['failed_in_flight']} | {d['client_failures']} | {fmt(d['recovery_ms'], 1)} | {fmt(d['longest_pause_ms'], 1)} | "
                     f"{fmt(d['max_latency_after_ms'], 1)} | {'yes' if d['node2_served'] else 'no'} |")
    return "\n".join(lines)


def chart(med, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    colors = {"edgeproxy": "#512bd4", "edgeproxy-aot": "#ff8f00", "edgeproxy-before": "#d7ccc8", "nginx": "#009639", "haproxy": "#1f6fb2",
              "yarp": "#b39ddb", "directfloor": "#7e57c2", "direct": "#9e9e9e"}
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [5, 2, 1.4]})
    proxies = [s for s in SYSTEMS if s != "direct" and any(sy == s for (_, sy) in med)]

    def bars(ax, scenarios, field, systems, title, ylabel, scale=1.0):
        scenarios = [s for s in scenarios if any((s, p) in med for p in systems)]
        width = 0.8 / len(systems)
        for i, system in enumerate(systems):
            values = [(med.get((s, system), {}).get(field) or 0) * scale for s in scenarios]
            xs = [x + (i - (len(systems) - 1) / 2) * width for x in range(len(scenarios))]
            ax.bar(xs, values, width, label=NAMES[system], color=colors[system])
        ax.set_xticks(range(len(scenarios)))
        ax.set_xticklabels(scenarios)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", alpha=0.3)

    bars(axes[0], ["h1-get", "h1-post", "h2-get", "h2-post", "h1-newconn"], "rps", proxies,
         "Throughput on one core (median)", "requests or connections / s")
    axes[0].legend()
    bars(axes[1], ["lat-h1", "lat-h2"], "p99_ms", proxies + ["direct"], "p99 at 1,000 req/s", "ms")
    axes[1].legend(fontsize=8)
    rss = {s: max((m["peak_rss_mb"] for (sc, sy), m in med.items() if sy == s and m["peak_rss_mb"]), default=0) for s in proxies}
    axes[2].bar([NAMES[s] for s in proxies], [rss[s] for s in proxies], color=[colors[s] for s in proxies])
    axes[2].set_title("Peak RSS under load")
    axes[2].set_ylabel("MB")
    axes[2].grid(axis="y", alpha=0.3)
    axes[2].tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    return True


def main():
    results = sys.argv[1]
    readme = sys.argv[sys.argv.index("--readme") + 1] if "--readme" in sys.argv else None
    rows, drills, machine = load(results)
    med = medians(rows)
    has_chart = chart(med, os.path.join(results, "headline.png"))
    sections = ["### Machine and run", "", "```", machine, "```", "",
                "### Headline (medians; ratio to nginx: above 1 is better for throughput, below 1 better for latency, memory and CPU)", "",
                headline_table(med), ""]
    if has_chart:
        rel = os.path.relpath(os.path.join(results, "headline.png"), os.path.dirname(readme) if readme else results)
        sections += [f"![headline figures]({rel})", ""]
    sections += ["### Scenarios", ""]
    for scenario in SCENARIOS:
        if any((scenario, s) in med for s in SYSTEMS):
            sections += [scenario_table(scenario, med), ""]
    table = drill_table(drills)
    if table:
        sections += ["### Failover drill (node1 killed with SIGKILL under 1,000 req/s of HTTP/1.1 traffic)", "", table, ""]
    for scenario, title in [("swap-standby-first", "node2 becomes active, 1 s later node1 steps down"),
                            ("swap-active-first", "node1 steps down, 1 s later node2 becomes active")]:
        table = drill_table(drills, scenario)
        if table:
            sections += [f"### Planned switch-over: {title} (nothing dies; counted from the first step)", "", table, ""]
    text = "\n".join(sections)
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write(text)
    if readme:
        content = open(readme).read()
        if BEGIN not in content or END not in content:
            raise SystemExit(f"{readme} has no {BEGIN} ... {END} markers")
        head, rest = content.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(readme, "w") as f:
            f.write(head + BEGIN + "\n" + text + "\n" + END + tail)
    print(text)


main()
