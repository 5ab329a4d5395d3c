using System.Net.Sockets;
using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>
/// <c>EdgeProxy health</c>: asks the running proxy's status listener for <c>/healthz</c>, so a container
/// <c>HEALTHCHECK</c> needs neither curl nor a shell. It probes; it does not validate the configuration.
/// </summary>
public static class HealthCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <returns>0 when the status listener answers 200, 1 otherwise; one line on <paramref name="output"/> says which and why.</returns>
    public static async Task<int> RunAsync(EnvSources sources, IReadOnlyDictionary<string, string> processEnvironment, TextWriter output, TimeSpan? timeout = null)
    {
        var env = EnvLoader.Load(sources, processEnvironment);
        if (!HealthProbeTarget.TryResolve(env, out var uri, out var error))
        {
            await output.WriteLineAsync($"unhealthy: {error}");
            return 1;
        }

        var limit = timeout ?? DefaultTimeout;
        // No proxy: HTTP_PROXY in a container's environment must not send a probe of a non-loopback status address elsewhere.
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = limit };
        using var client = new HttpClient(handler) { Timeout = limit };
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            var healthy = (int)response.StatusCode == StatusCodes.Status200OK;
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            return healthy ? 0 : 1;
        }
        catch (TaskCanceledException)
        {
            await output.WriteLineAsync($"unhealthy: {uri} did not answer within {limit.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            await output.WriteLineAsync($"unhealthy: cannot reach {uri}: {reason}");
        }

        return 1;
    }
}
