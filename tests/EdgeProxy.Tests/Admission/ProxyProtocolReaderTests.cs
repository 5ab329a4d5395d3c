using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Operations;
using EdgeProxy.Testing;
using EdgeProxy.Tests.Support;
using EdgeProxy.Tests.Upstreams;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Admission;

/// <summary>The connection middleware over in-memory pipes and a fake clock: what it consumes, sets, closes and logs.</summary>
public sealed class ProxyProtocolReaderTests : IDisposable
{
    private static readonly IPEndPoint Balancer = IPEndPoint.Parse("192.0.2.10:40000");
    private static readonly IPEndPoint Stranger = IPEndPoint.Parse("198.51.100.1:40000");
    private static readonly byte[] ClientHello = [0x16, 0x03, 0x01, 0x00, 0x05];

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger<ProxyProtocolReader> _log = new();
    private readonly EdgeMetrics _metrics = new();
    private readonly ProxyProtocolReader _reader;

    public ProxyProtocolReaderTests()
    {
        var env = _directory.Write("proxy.env", TestEnv.LabEnv("203.0.113.7",
            "NGX_LOAD_BALANCER_IPS=192.0.2.10", "NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol", "NGX_CLIENT_HEADER_TIMEOUT=5"));
        var loaded = ConfigurationLoader.Load(new EnvSources([env], []), TestEnv.NoProcessEnvironment, _time).Configuration
            ?? throw new InvalidOperationException("the test configuration does not load");
        _reader = new ProxyProtocolReader(new ProxyState(loaded, _time), _metrics, new ListLoggerFactory(_log), _time);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _metrics.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task HeaderInTwoWrites_SetsTheClient_AndLeavesWhatFollowsUnread()
    {
        var connection = new TestConnection(Balancer);
        var header = ProxyHeaders.V1(IPEndPoint.Parse("203.0.113.7:50312"), IPEndPoint.Parse("192.0.2.1:443"));
        var next = Next();
        var running = _reader.Wrap(next.Delegate)(connection);

        await connection.SendAsync(header[..10]);
        await connection.SendAsync([.. header[10..], .. ClientHello]);
        await running;

        Assert.Null(connection.Aborted);
        Assert.Equal(new ProxyProtocolClient(IPEndPoint.Parse("203.0.113.7:50312"), 1), connection.Features.Get<ProxyProtocolClient>());
        Assert.Equal(ClientHello, await next.Remaining);
    }

    [Fact]
    public async Task TlsFromAPeerNotABalancer_PassesThroughWithNothingConsumed()
    {
        var connection = new TestConnection(Stranger);
        var next = Next();
        var running = _reader.Wrap(next.Delegate)(connection);

        await connection.SendAsync(ClientHello);
        await running;

        Assert.Null(connection.Aborted);
        Assert.Null(connection.Features.Get<ProxyProtocolClient>());
        Assert.Equal(ClientHello, await next.Remaining);
    }

    [Fact]
    public async Task PartialHeader_IsClosedAtTheHeaderTimeout_NotBefore()
    {
        var connection = new TestConnection(Balancer);
        var next = Next();
        var running = _reader.Wrap(next.Delegate)(connection);
        await connection.SendAsync("PROXY TCP4 203.0"u8.ToArray());

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(running.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        await running;

        Assert.NotNull(connection.Aborted);
        Assert.False(next.Called);
        Assert.Contains("incomplete PROXY header (16 bytes)", Assert.Single(_log.WithEventId(3002)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BalancerClosingBeforeItsFirstByte_IsClosedWithoutALogLine()
    {
        // A balancer's plain TCP health check: connect, close.
        var connection = new TestConnection(Balancer);
        var next = Next();
        var running = _reader.Wrap(next.Delegate)(connection);

        await connection.CompleteAsync();
        await running;

        Assert.False(next.Called);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task FloodOfConnectionsWithoutHeader_LogsTenLines_ThenOneSummary_AndCountsEvery()
    {
        for (var i = 0; i < 25; i++)
        {
            var connection = new TestConnection(Balancer);
            var running = _reader.Wrap(Next().Delegate)(connection);
            await connection.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n"));
            await running;
            Assert.NotNull(connection.Aborted);
        }

        Assert.Equal(ProxyProtocolReader.LinesPerSecond, _log.WithEventId(3002).Count());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Contains("suppressed 15 closed connections in the last 1.0 s", Assert.Single(_log.WithEventId(3003)).Message, StringComparison.Ordinal);
        Assert.Equal(25, _metrics.Refusals.WithLabels("ProxyProtocol").Value);
    }

    private static NextMiddleware Next() => new();

    /// <summary>The next middleware: records that it ran and reads what is left on the input.</summary>
    private sealed class NextMiddleware
    {
        private readonly TaskCompletionSource<byte[]> _remaining = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Called { get; private set; }

        public Task<byte[]> Remaining => _remaining.Task;

        public ConnectionDelegate Delegate => async connection =>
        {
            Called = true;
            var input = connection.Transport.Input;
            while (true)
            {
                var read = await input.ReadAsync();
                if (read.IsCompleted || read.Buffer.Length >= ClientHello.Length)
                {
                    _remaining.SetResult(read.Buffer.ToArray());
                    input.AdvanceTo(read.Buffer.End);
                    return;
                }

                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        };
    }

    private sealed class TestConnection : DefaultConnectionContext
    {
        private readonly Pipe _input = new();

        public TestConnection(IPEndPoint remote)
            : base(Guid.NewGuid().ToString("N"), new Duplex(new Pipe().Reader, new Pipe().Writer), new Duplex(new Pipe().Reader, new Pipe().Writer))
        {
            Transport = new Duplex(_input.Reader, new Pipe().Writer);
            RemoteEndPoint = remote;
            LocalEndPoint = IPEndPoint.Parse("192.0.2.1:443");
        }

        public ConnectionAbortedException? Aborted { get; private set; }

        public override void Abort(ConnectionAbortedException abortReason) => Aborted = abortReason;

        public async Task SendAsync(byte[] bytes) => await _input.Writer.WriteAsync(bytes);

        public Task CompleteAsync() => _input.Writer.CompleteAsync().AsTask();
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class ListLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
