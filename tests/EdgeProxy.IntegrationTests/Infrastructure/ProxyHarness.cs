using CloudConnectSimulator;
using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using EdgeProxy.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Net;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// The lab in-process: publisher and subscriber simulators on 127.0.0.11/12 with the sample
/// certificates, and EdgeProxy on real Kestrel (ephemeral ports) configured from a real env file.
/// </summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    private ProxyHarness(SimulatorNode publisher, SimulatorNode subscriber, WebApplication app, InMemorySink logs, string directory, LoadedConfiguration configuration)
    {
        Publisher = publisher;
        Subscriber = subscriber;
        App = app;
        Logs = logs;
        Directory = directory;
        Configuration = configuration;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        PublicUri = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        StatusUri = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
    }

    private string[] _baseEnv = [];
    private bool _configMapLayout;

    public SimulatorNode Publisher { get; }
    public SimulatorNode Subscriber { get; }
    public WebApplication App { get; }
    public InMemorySink Logs { get; }
    public string Directory { get; }
    public LoadedConfiguration Configuration { get; }
    public Uri PublicUri { get; }
    public Uri StatusUri { get; }

    /// <summary>The env file the proxy was started with; rewrite it to test reloads.</summary>
    public string EnvFile => Path.Combine(Directory, "test.env");

    public ConfigurationReloader Reloader => App.Services.GetRequiredService<ConfigurationReloader>();

    public ProxyState State => App.Services.GetRequiredService<ProxyState>();

    /// <summary>The proxy's active-node state.</summary>
    public ActiveNodeTracker Tracker => App.Services.GetRequiredService<ActiveNodeTracker>();

    public static async Task<ProxyHarness> StartAsync(Action<HarnessOptions>? configure = null)
    {
        var options = new HarnessOptions();
        configure?.Invoke(options);
        var directory = System.IO.Directory.CreateTempSubdirectory("edgeproxy-it-").FullName;

        var publisher = await LabNodes.StartAsync("publisher", options.PublisherListenAddress, options.PublisherMode,
            options.PublisherCertificate, options.PublisherKey, options.NodeClientCaPath);
        var subscriber = await LabNodes.StartAsync("subscriber", options.SubscriberListenAddress, options.SubscriberMode, clientCa: options.NodeClientCaPath);

        var envFile = Path.Combine(directory, "test.env");
        string[] baseLines =
        [
            "TEMPLATE_TYPE=cloudconnect",
            "EDGEPROXY_ENVIRONMENT=lab",
            "EDGEPROXY_LOG_FORMAT=text",
            $"NGX_PRXY_CLOUDCONNECT_HOSTNAME={EdgeClient.ExternalHost}",
            "PROXY_BINDING_IP=127.0.0.1",
            "NGX_PRXY_CLOUDCONNECT_PORT=0",
            "PROXY_BINDING_INTERNAL_IP=127.0.0.1",
            "NGX_PRXY_STATUS_PORT=0",
            $"NGX_CLOUDCONNECT_HOSTNAME={options.PublisherHostInEnv ?? options.PublisherListenAddress}:{publisher.HttpsPort}",
            $"NGX_CLOUDCONNECT_FAILOVER_HOSTNAME={options.SubscriberListenAddress}:{subscriber.HttpsPort}",
            "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.1|::1",
            $"NGX_SSL_CRT={RepoPaths.SampleCert("proxy.crt")}",
            $"NGX_SSL_KEY={RepoPaths.SampleCert("proxy.key")}",
            $"NGX_PRXY_SSL_TRUST_CRT={RepoPaths.SampleCert("ca.crt")}",
            // A loaded 2-core test machine can take over a second for a loopback TLS handshake; a first probe
            // timing out would start a test from the wrong state. Tests about timing set their own values.
            "NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT=5000",
        ];
        if (options.ConfigMapLayout)
        {
            await ConfigMapVolume.WriteAsync(directory, "test.env", [.. baseLines, .. options.ExtraEnv]);
        }
        else
        {
            await File.WriteAllLinesAsync(envFile, [.. baseLines, .. options.ExtraEnv]);
        }

        var sources = new EnvSources([envFile], []);
        var result = ConfigurationLoader.Load(sources, new Dictionary<string, string>());
        if (result.Configuration is null)
        {
            throw new InvalidOperationException("test configuration is invalid: " + string.Join("; ", result.Errors));
        }

        var logs = new InMemorySink();
        var app = EdgeProxyApp.Build(result.Configuration, result.Notices, new EdgeProxyAppOptions
        {
            ExtraLogSink = logs,
            ReloadCheckInterval = options.ReloadCheckInterval,
            Sources = sources,
        });
        await app.StartAsync();
        var harness = new ProxyHarness(publisher, subscriber, app, logs, directory, result.Configuration) { _baseEnv = baseLines, _configMapLayout = options.ConfigMapLayout };
        if (options.WaitForFirstProbes)
        {
            await harness.WaitForAsync(s => s.Publisher.LastProbe is not null && s.Subscriber.LastProbe is not null, "the first probe round");
        }

        return harness;
    }

    /// <summary>Rewrites the env file: the harness defaults, then <paramref name="lines"/>.</summary>
    /// <remarks>With <see cref="HarnessOptions.ConfigMapLayout"/>, as the kubelet updates a ConfigMap volume.</remarks>
    public Task RewriteEnvAsync(params string[] lines) => _configMapLayout
        ? ConfigMapVolume.WriteAsync(Directory, "test.env", [.. _baseEnv, .. lines])
        : File.WriteAllLinesAsync(EnvFile, [.. _baseEnv, .. lines]);

    /// <summary>A task that completes with the next reload outcome matching <paramref name="match"/>.</summary>
    public Task<ReloadOutcome> NextReloadAsync(Func<ReloadOutcome, bool> match)
    {
        var next = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(ReloadOutcome outcome)
        {
            if (match(outcome) && next.TrySetResult(outcome))
            {
                Reloader.Reloaded -= Handler;
            }
        }

        Reloader.Reloaded += Handler;
        return next.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Completes when the tracker's snapshot satisfies <paramref name="condition"/> (checked now and on every change);
    /// fails after <paramref name="timeout"/> (default 15 s) with the last snapshot in the message.
    /// </summary>
    public async Task<ActiveNodeSnapshot> WaitForAsync(Func<ActiveNodeSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource<ActiveNodeSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ActiveNodeSnapshot snapshot)
        {
            if (condition(snapshot))
            {
                reached.TrySetResult(snapshot);
            }
        }

        var tracker = Tracker;
        tracker.Changed += OnChanged;
        try
        {
            OnChanged(tracker.Snapshot);
            return await reached.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            var last = tracker.Snapshot;
            throw new TimeoutException($"waited for {what}; active {last.Active?.ToString() ?? "none"}: {last.DescribeNodes()}");
        }
        finally
        {
            tracker.Changed -= OnChanged;
        }
    }

    /// <summary>The requests a node received from clients through the proxy, health probes left out.</summary>
    public static IReadOnlyList<RecordedRequest> Proxied(SimulatorNode node) =>
        [.. node.Requests.Where(r => r.Headers.GetValueOrDefault("User-Agent") != NodeProber.UserAgent)];

    /// <summary>The health probes a node received.</summary>
    public static IReadOnlyList<RecordedRequest> Probes(SimulatorNode node) =>
        [.. node.Requests.Where(r => r.Headers.GetValueOrDefault("User-Agent") == NodeProber.UserAgent)];

    /// <summary>A client shaped like Webex Connect (see <see cref="EdgeClient"/>): Host = the proxy's external name.</summary>
    public HttpClient CreateClient(string sourceAddress = "127.0.0.1", Version? version = null, string? host = EdgeClient.ExternalHost) =>
        EdgeClient.Create(PublicUri, sourceAddress, version, host: host);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
            await App.DisposeAsync();
            await Publisher.DisposeAsync();
            await Subscriber.DisposeAsync();
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
