using EdgeProxy.Edge;
using EdgeProxy.Operations;
using EdgeProxy.Tests.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Edge;

public sealed class KestrelRejectionsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger<KestrelRejections> _log = new();
    private readonly EdgeMetrics _metrics = new();
    private readonly KestrelRejections _rejections;

    public KestrelRejectionsTests() => _rejections = new KestrelRejections(_metrics, new OneLoggerFactory(_log), _time);

    public void Dispose()
    {
        _rejections.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Flood_LogsTheBurst_ThenOneSummaryOnTheClock_AndCountsEveryRejection()
    {
        for (var i = 0; i < 25; i++)
        {
            _rejections.Report(null, "bad_request", "Invalid request line: ''", 400);
        }

        Assert.Equal(KestrelRejections.LinesPerSecond, _log.WithEventId(3104).Count());
        Assert.Empty(_log.WithEventId(3105));

        _time.Advance(TimeSpan.FromSeconds(1));

        var summary = Assert.Single(_log.WithEventId(3105));
        Assert.Equal("Protocol rejection: suppressed 15 rejections in the last 1.0 s (at most 10 lines a second)", summary.Message);
        Assert.Equal(25, _metrics.ProtocolRejections.WithLabels("bad_request").Value);
    }

    [Fact]
    public void LoggingResumes_AfterASuppressedBurst_SummaryComesFirst()
    {
        for (var i = 0; i < 12; i++)
        {
            _rejections.Report(null, "headers_too_large", "Request headers too long.", 431);
        }

        _time.Advance(TimeSpan.FromMilliseconds(500)); // tokens again, the summary timer not yet due
        _rejections.Report(null, "headers_too_large", "Request headers too long.", 431);

        var last = _log.Entries.TakeLast(2).ToList();
        Assert.Equal(3105, last[0].Id.Id);
        Assert.Contains("suppressed 2 rejections in the last 0.5 s", last[0].Message, StringComparison.Ordinal);
        Assert.Equal(3104, last[1].Id.Id);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(_log.WithEventId(3105)); // nothing left to summarise
    }

    [Fact]
    public void Tap_KestrelsDebugBadRequestEvent_BecomesARejection_WhateverTheLogLevel()
    {
        var kestrelOutput = new ListLogger<object>();
        using var tap = new KestrelRejectionTap(new OneLoggerFactory(kestrelOutput, enabled: false), () => _rejections);
        var badRequests = tap.CreateLogger(KestrelRejectionTap.BadRequestsCategory);
        IReadOnlyList<KeyValuePair<string, object?>> state = [new("ConnectionId", "0HN1"), new("message", "Request headers too long.")];

        Assert.True(badRequests.IsEnabled(LogLevel.Debug));
        badRequests.Log(LogLevel.Debug, new EventId(17, "ConnectionBadRequest"), state, new BadHttpRequestException("Request headers too long.", 431), (_, _) => "");
        badRequests.Log(LogLevel.Debug, new EventId(20, "RequestProcessingError"), state, new IOException("reset"), (_, _) => "");

        var line = Assert.Single(_log.WithEventId(3104));
        Assert.Equal("Protocol rejection: Kestrel refused a request from - on port -: Request headers too long. (status 431, headers_too_large)", line.Message);
        Assert.Empty(kestrelOutput.Entries); // Kestrel's own Debug events stay governed by the log level
        Assert.False(tap.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Debug)); // other categories are not tapped
    }

    [Theory]
    [InlineData(400, "bad_request")]
    [InlineData(408, "request_timeout")]
    [InlineData(414, "uri_too_long")]
    [InlineData(431, "headers_too_large")]
    [InlineData(505, "http_version_not_supported")]
    [InlineData(418, "other")]
    public void KindOf_MapsStatusesToAClosedSetOfLabels(int status, string kind) => Assert.Equal(kind, KestrelRejectionTap.KindOf(status));

    private sealed class OneLoggerFactory(ILogger logger, bool enabled = true) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => enabled ? logger : new Disabled(logger);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Disabled(ILogger inner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => false;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
