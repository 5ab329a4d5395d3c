"""Groups a perf profile of one process into the parts of the stack, as microseconds of CPU per request.

Usage: perf_modules.py REPORT CPU_US_PER_REQUEST
REPORT is `perf report --no-children --sort dso,sym --stdio -q` of the process. Native code is grouped by its
library; managed code by the [Assembly] the runtime's perf map names (DOTNET_PerfMapEnabled=1), or by the
ReadyToRun image it runs from. Prints one "group<TAB>share<TAB>us" line per group, largest first.
"""
import re
import sys

GROUPS = [  # (group, test on (dso, symbol)); the first match wins
    ("kernel", lambda d, s: d.startswith("[kernel")),
    ("OpenSSL (TLS both sides)", lambda d, s: d.startswith(("libssl", "libcrypto"))),
    ("managed code not named (W^X double mapping: profile with DOTNET_EnableWriteXorExecute=0)", lambda d, s: d.startswith("memfd:")),
    ("runtime (GC, allocation, JIT, type checks) and libc", lambda d, s: d.startswith(("libcoreclr", "libclrjit", "libc.so", "libc-", "libSystem.", "libstdc++", "libgcc", "ld-linux"))),
    ("EdgeProxy's own code", lambda d, s: "[EdgeProxy]" in s or d.startswith("EdgeProxy")),
    ("logging (Serilog, System.Text.Json, Encodings.Web, Extensions.Logging)", lambda d, s: re.search(r"\[(Serilog[\w.]*|System\.Text\.Json|System\.Text\.Encodings\.Web|Microsoft\.Extensions\.Logging[\w.]*)\]", s) or d.startswith(("Serilog", "System.Text.Json", "System.Text.Encodings.Web", "Microsoft.Extensions.Logging"))),
    ("metrics (prometheus-net)", lambda d, s: "[Prometheus" in s or d.startswith("Prometheus")),
    ("YARP (IHttpForwarder, transforms; routes and clusters before)", lambda d, s: "[Yarp." in s or d.startswith("Yarp.")),
    ("Kestrel and ASP.NET Core (incl. rate limiting, routing)", lambda d, s: re.search(r"\[Microsoft\.(AspNetCore|Extensions)[\w.]*\]|\[System\.Threading\.RateLimiting\]", s) or d.startswith(("Microsoft.AspNetCore", "Microsoft.Extensions", "System.Threading.RateLimiting"))),
    ("System.Net (HttpClient, SslStream, sockets)", lambda d, s: "[System.Net." in s or d.startswith("System.Net.")),
    ("System.Private.CoreLib (async machinery, collections, strings)", lambda d, s: "[System.Private.CoreLib]" in s or d.startswith("System.Private.CoreLib")),
]
OTHER = "other (other assemblies, unresolved)"


def main():
    report, cpu_us = sys.argv[1], float(sys.argv[2])
    totals = {}
    line_re = re.compile(r"^\s*([\d.]+)%\s+(\[JIT\] tid \d+|\S+)(?: \(deleted\))?\s+\[[^\]]*\]\s+(.*)$")
    for line in open(report, errors="replace"):
        m = line_re.match(line)
        if not m:
            continue
        share, dso, sym = float(m.group(1)), m.group(2), m.group(3)
        group = next((g for g, test in GROUPS if test(dso, sym)), OTHER)
        totals[group] = totals.get(group, 0.0) + share
    whole = sum(totals.values()) or 1.0
    for group, share in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{group}\t{share / whole:.3f}\t{share / whole * cpu_us:.1f}")


main()
