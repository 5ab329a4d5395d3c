using System.Net.Http;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Times health probes (and only them) inside the cluster's handler chain, because YARP's monitor reports a probe's
/// response or exception but not its latency. The timing rides on the request options, or on a
/// <see cref="NodeProbeException"/> when the probe failed.
/// </summary>
public sealed class ProbeTimingHandler(TimeProvider time) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> IsProbe = new("EdgeProxy.IsProbe");
    public static readonly HttpRequestOptionsKey<ProbeTiming> Timing = new("EdgeProxy.ProbeTiming");

    // Traffic passes straight through, without an async state machine of its own (one per proxied request otherwise).
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(IsProbe, out var isProbe) && isProbe
            ? SendProbeAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendProbeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            request.Options.Set(Timing, new ProbeTiming(startedAt, time.GetElapsedTime(started)));
            return response;
        }
        catch (Exception ex)
        {
            throw new NodeProbeException(new ProbeTiming(startedAt, time.GetElapsedTime(started)), ex);
        }
    }
}
