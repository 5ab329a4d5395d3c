using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace FailoverDrill;

/// <summary>
/// Paced load through the proxy: each worker alternates a DR ping (whose body names the node that answered) and a
/// task creation, at a fixed total rate, and records every outcome. With source addresses, worker N connects from
/// source N modulo their count, so the proxy sees several clients.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly HttpClient[] _clients;
    private readonly LoadSettings _options;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    private Task[] _workers = [];

    public LoadGenerator(LoadSettings options, Stopwatch clock)
    {
        _options = options;
        _clock = clock;
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(options.CaPath);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        _clients = options.Sources.Count == 0
            ? [CreateClient(options.Proxy, policy, source: null)]
            : [.. options.Sources.Select(source => CreateClient(options.Proxy, policy, source))];
    }

    public IReadOnlyList<Outcome> Outcomes => [.. _outcomes];

    public void Start() => _workers = [.. Enumerable.Range(0, _options.Workers).Select(RunWorkerAsync)];

    /// <summary>Stops the workers after their current request; <see cref="Outcomes"/> is complete afterwards.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunWorkerAsync(int worker)
    {
        var period = TimeSpan.FromSeconds((double)_options.Workers / _options.RatePerSecond);
        var next = _clock.Elapsed + period * worker / _options.Workers;
        for (var i = 0L; !_stop.IsCancellationRequested; i++)
        {
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            next += period;
            var client = _clients[worker % _clients.Length];
            _outcomes.Enqueue(i % 2 == 0 ? await PingAsync(client) : await CreateTaskAsync(client, worker, i));
        }
    }

    private static HttpClient CreateClient(Uri proxy, X509ChainPolicy policy, IPAddress? source)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (source is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context.DnsEndPoint, cancellationToken);
        }

        return new HttpClient(handler) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Outcome> PingAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("drapi/v1/ping");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? new Outcome(_clock.Elapsed, "ping", (int)response.StatusCode, Field(body, "node"), null)
                : new Outcome(_clock.Elapsed, "ping", (int)response.StatusCode, null, Field(body, "error") ?? Field(body, "status"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(_clock.Elapsed, "ping", 0, null, Describe(ex));
        }
    }

    private async Task<Outcome> CreateTaskAsync(HttpClient client, int worker, long i)
    {
        try
        {
            using var response = await client.PostAsJsonAsync("drapi/v1/tasks", new { mediaType = "chat", name = $"drill {worker}-{i}" });
            var body = await response.Content.ReadAsStringAsync();
            return new Outcome(_clock.Elapsed, "create", (int)response.StatusCode, null,
                response.StatusCode == HttpStatusCode.Created ? null : Field(body, "error") ?? Field(body, "status") ?? "status");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(_clock.Elapsed, "create", 0, null, Describe(ex));
        }
    }

    /// <summary>The exception type and, when it wraps another, the innermost message ("the response ended prematurely").</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? ex.GetType().Name : $"{ex.GetType().Name} ({inner.Message.TrimEnd('.')})";
    }

    private static string? Field(string json, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
