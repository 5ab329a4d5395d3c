using System.Net;

namespace FailoverDrill;

/// <summary>What the load generator sends and where: both drills build one from their command line.</summary>
/// <param name="Proxy">The address the clients call (EdgeProxy, or the balancer in front of a pair).</param>
/// <param name="CaPath">The CA that signed the certificate the clients are shown.</param>
/// <param name="RatePerSecond">Total requests a second, all workers together.</param>
/// <param name="Workers">Concurrent clients; each alternates a GET (DR ping) and a POST (task creation).</param>
/// <param name="Sources">Local addresses the workers connect from, in turn; empty: the system's choice.</param>
internal sealed record LoadSettings(Uri Proxy, string CaPath, int RatePerSecond, int Workers, IReadOnlyList<IPAddress> Sources);
