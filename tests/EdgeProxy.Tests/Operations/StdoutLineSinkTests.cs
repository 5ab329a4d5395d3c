using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeProxy.Operations;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace EdgeProxy.Tests.Operations;

public sealed class StdoutLineSinkTests
{
    [Fact]
    public void Lines_AreWrittenInFewerWritesThanLines_AndAllArriveOnDispose()
    {
        var output = new RecordingStream();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new StdoutLineSink(output)).CreateLogger())
        {
            for (var i = 0; i < 2500; i++)
            {
                logger.Information("{Method} {Path} {Status}", "GET", $"/drapi/v1/tasks/{i}", 200);
            }
        }

        var lines = output.Lines();
        Assert.Equal(2500, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal($"/drapi/v1/tasks/{i}", json.RootElement.GetProperty("Path").GetString());
            Assert.Equal(200, json.RootElement.GetProperty("Status").GetInt32());
        }

        Assert.InRange(output.Writes, 1, 100);
    }

    [Fact]
    public void TextLines_UseTheTextTemplate()
    {
        var output = new RecordingStream();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new StdoutLineSink(output, LoggingSetup.TextLine)).CreateLogger())
        {
            logger.ForContext("SourceContext", "EdgeProxy.Access").Warning("{Method} {Path} {Status}", "GET", "/drapi/v1/ping", 503);
        }

        var line = Assert.Single(output.Lines());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \[WRN\] EdgeProxy\.Access: GET /drapi/v1/ping 503$", line);
    }

    [Fact]
    public async Task FirstLine_IsWrittenWithoutWaitingForMore()
    {
        var output = new RecordingStream();
        using var logger = new LoggerConfiguration().WriteTo.Sink(new StdoutLineSink(output)).CreateLogger();
        logger.Information("only {Line}", 1);

        var line = await output.FirstWrite.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("\"Line\":1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LineAfterTheWriterWentIdle_WakesIt_WithoutWaitingForDispose()
    {
        var output = new RecordingStream();
        using var logger = new LoggerConfiguration().WriteTo.Sink(new StdoutLineSink(output)).CreateLogger();
        logger.Information("first {Line}", 1);
        Assert.True(output.WaitForLines(1, TimeSpan.FromSeconds(10)), "the first line was not written");

        // The writer has written everything and parked without a timeout: only this line can wake it.
        logger.Information("second {Line}", 2);

        Assert.True(output.WaitForLines(2, TimeSpan.FromSeconds(10)), "a line after an idle writer waited for dispose");
        Assert.Contains("\"Line\":2", output.Lines()[1], StringComparison.Ordinal);
    }

    [Fact]
    public void StalledOutput_DropsLinesBeyondTheLimit_AndSaysHowMany()
    {
        var output = new RecordingStream { Stalled = true };
        var sink = new StdoutLineSink(output, maxPendingBytes: 16 * 1024);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("first {Number}", 0);
            Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)), "the writer never started writing");
            // The writer is stuck in its first write; everything after it waits in the buffer, up to 16 KB.
            for (var i = 1; i <= 1000; i++)
            {
                logger.Information("line {Number} {Padding}", i, new string('x', 100));
            }

            output.Release();
        }

        var lines = output.Lines();
        var kept = lines.Count(l => l.Contains("\"Padding\"", StringComparison.Ordinal));
        Assert.InRange(kept, 50, 200);
        var warning = Assert.Single(lines, l => l.Contains("DroppedLines", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(warning);
        Assert.Equal(1000 - kept, json.RootElement.GetProperty("DroppedLines").GetInt64());
        Assert.Equal("Warning", json.RootElement.GetProperty("@l").GetString());
    }

    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();
        private readonly ManualResetEventSlim _released = new(false);
        private readonly TaskCompletionSource<string> _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Stalled { get; init; }

        public ManualResetEventSlim Entered { get; } = new(false);

        public int Writes { get; private set; }

        public Task<string> FirstWrite => _firstWrite.Task;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _released.Set();

        public bool WaitForLines(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_bytes)
            {
                while (Lines().Length < count)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(_bytes, left))
                    {
                        return Lines().Length >= count;
                    }
                }

                return true;
            }
        }

        public string[] Lines()
        {
            lock (_bytes)
            {
                return Encoding.UTF8.GetString(_bytes.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Entered.Set();
            if (Stalled)
            {
                _released.Wait();
            }

            lock (_bytes)
            {
                Writes++;
                _bytes.Write(buffer);
                Monitor.PulseAll(_bytes);
            }

            _firstWrite.TrySetResult(Encoding.UTF8.GetString(buffer));
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

public sealed class JsonLineFormatterTests
{
    private static readonly MessageTemplateParser Parser = new();

    [Fact]
    public void Line_HasTheFieldsOfSerilogsRenderedCompactFormat()
    {
        var logEvent = Event(LogEventLevel.Information, "{Method} {Path} {Status} {DurationMs:0.0} ms", null,
            ("Method", new ScalarValue("GET")), ("Path", new ScalarValue("/drapi/v1/tasks?from=*")), ("Status", new ScalarValue(200)),
            ("DurationMs", new ScalarValue(3.25)), ("Bytes", new ScalarValue(241L)), ("Cached", new ScalarValue(true)), ("Missing", new ScalarValue(null)));

        using var ours = JsonDocument.Parse(Format(logEvent));
        using var serilogs = JsonDocument.Parse(SerilogFormat(logEvent));
        foreach (var field in new[] { "@m", "@i", "Method", "Path" })
        {
            Assert.Equal(serilogs.RootElement.GetProperty(field).GetString(), ours.RootElement.GetProperty(field).GetString());
        }

        Assert.Equal(200, ours.RootElement.GetProperty("Status").GetInt32());
        Assert.Equal(3.25, ours.RootElement.GetProperty("DurationMs").GetDouble());
        Assert.Equal(241, ours.RootElement.GetProperty("Bytes").GetInt64());
        Assert.True(ours.RootElement.GetProperty("Cached").GetBoolean());
        Assert.Equal(JsonValueKind.Null, ours.RootElement.GetProperty("Missing").ValueKind);
        Assert.Equal(logEvent.Timestamp.UtcDateTime, ours.RootElement.GetProperty("@t").GetDateTime());
        Assert.False(ours.RootElement.TryGetProperty("@l", out _), "Information is the default level and is left out");
    }

    [Fact]
    public void AccessLogLine_HasEveryPropertyOnce_AndNoRenderedMessage()
    {
        var logEvent = Event(LogEventLevel.Information, "{Method} {Path} {Status} {DurationMs:0.0} ms tracking {TrackingId}", null,
            ("Method", new ScalarValue("GET")), ("Path", new ScalarValue("/drapi/v1/tasks?from=*")), ("Status", new ScalarValue(200)),
            ("DurationMs", new ScalarValue(3.25)), ("TrackingId", new ScalarValue("track-7")), ("SourceContext", new ScalarValue(AccessLog.Category)));

        var line = Format(logEvent);

        using var ours = JsonDocument.Parse(line);
        using var serilogs = JsonDocument.Parse(SerilogFormat(logEvent));
        Assert.False(ours.RootElement.TryGetProperty("@m", out _), "the access log's message would only repeat its properties");
        Assert.Equal(serilogs.RootElement.GetProperty("@i").GetString(), ours.RootElement.GetProperty("@i").GetString());
        foreach (var property in serilogs.RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('@')))
        {
            Assert.Equal(property.Value.GetRawText(), ours.RootElement.GetProperty(property.Name).GetRawText());
        }

        Assert.Equal(2, line.Split("track-7").Length); // the value once, not again in a message
    }

    [Fact]
    public void Level_Exception_AndReservedNames_AreWrittenAsClefDoes()
    {
        var failure = new InvalidOperationException("node said no");
        var logEvent = Event(LogEventLevel.Error, "failed {@t}", failure, ("@t", new ScalarValue("mine")));

        using var json = JsonDocument.Parse(Format(logEvent));
        Assert.Equal("Error", json.RootElement.GetProperty("@l").GetString());
        Assert.Contains("node said no", json.RootElement.GetProperty("@x").GetString(), StringComparison.Ordinal);
        Assert.Equal("mine", json.RootElement.GetProperty("@@t").GetString());
        Assert.Equal(logEvent.Timestamp.UtcDateTime, json.RootElement.GetProperty("@t").GetDateTime());
    }

    [Fact]
    public void Structures_Sequences_AndDictionaries_BecomeJson()
    {
        var logEvent = Event(LogEventLevel.Warning, "nodes", null,
            ("Nodes", new SequenceValue([new ScalarValue("publisher"), new ScalarValue("subscriber")])),
            ("Probe", new StructureValue([new LogEventProperty("Status", new ScalarValue(200)), new LogEventProperty("Node", new ScalarValue("publisher"))], "ProbeResult")),
            ("Counts", new DictionaryValue([new(new ScalarValue("dr"), new ScalarValue(3)), new(new ScalarValue(404), new ScalarValue(1))])));

        using var json = JsonDocument.Parse(Format(logEvent));
        Assert.Equal(["publisher", "subscriber"], json.RootElement.GetProperty("Nodes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(200, json.RootElement.GetProperty("Probe").GetProperty("Status").GetInt32());
        Assert.Equal("ProbeResult", json.RootElement.GetProperty("Probe").GetProperty("$type").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("Counts").GetProperty("dr").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("Counts").GetProperty("404").GetInt32());
    }

    [Fact]
    public void HostileValues_CannotBreakTheLine()
    {
        var path = "/drapi/v1/tasks\n{\"forged\":true}\"\u0000\u001b[31m";
        var logEvent = Event(LogEventLevel.Information, "{Path}", null, ("Path", new ScalarValue(path)), ("Nan", new ScalarValue(double.NaN)));

        var line = Format(logEvent);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(path, json.RootElement.GetProperty("Path").GetString());
        Assert.Equal("NaN", json.RootElement.GetProperty("Nan").GetString());
    }

    private static LogEvent Event(LogEventLevel level, string template, Exception? exception, params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(new DateTimeOffset(2026, 11, 28, 15, 50, 29, 749, TimeSpan.FromHours(1)), level, exception, Parser.Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, p.Value)));

    private static string Format(LogEvent logEvent)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JsonLineFormatter.Write(logEvent, buffer);
        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        return line;
    }

    private static string SerilogFormat(LogEvent logEvent)
    {
        var text = new StringWriter();
        new RenderedCompactJsonFormatter().Format(logEvent, text);
        return text.ToString();
    }
}

public sealed class RouteSlotTests
{
    [Fact]
    public void EveryRoute_HasItsOwnSlot_BeforeTheSlotForUnclassifiedRequests()
    {
        var routes = Enum.GetValues<EdgeProxy.Edge.EdgeRoute>();
        Assert.Equal(RouteSlot.Count - 1, routes.Length);
        Assert.All(routes, route => Assert.InRange((int)route, 0, RouteSlot.None.Index - 1));
    }
}
