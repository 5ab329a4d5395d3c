using System.Text;
using System.Text.Json;
using EdgeProxy.Operations;
using Serilog;
using Serilog.Formatting.Compact;

namespace EdgeProxy.Tests.Operations;

public sealed class BatchedStdoutSinkTests
{
    [Fact]
    public void EmitBatch_WritesOneJsonLinePerEventInOneFlush()
    {
        var output = new CountingMemoryStream();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new BatchedStdoutSink(new RenderedCompactJsonFormatter(), output), BatchedStdoutSink.Options).CreateLogger())
        {
            for (var i = 0; i < 3; i++)
            {
                logger.Information("{Method} {Path} {Status}", "GET", $"/drapi/v1/tasks/{i}", 200);
            }
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        for (var i = 0; i < 3; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal($"/drapi/v1/tasks/{i}", json.RootElement.GetProperty("Path").GetString());
            Assert.Equal(200, json.RootElement.GetProperty("Status").GetInt32());
        }

        Assert.True(output.Writes < 3, $"expected the lines batched into fewer writes than lines, got {output.Writes}");
    }

    [Fact]
    public void Dispose_FlushesEventsStillQueued()
    {
        var output = new CountingMemoryStream();
        var logger = new LoggerConfiguration().WriteTo.Sink(new BatchedStdoutSink(new RenderedCompactJsonFormatter(), output), BatchedStdoutSink.Options).CreateLogger();
        for (var i = 0; i < 2500; i++)
        {
            logger.Information("line {Number}", i);
        }

        logger.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2500, lines.Length);
        Assert.Contains("\"Number\":2499", lines[^1], StringComparison.Ordinal);
    }

    private sealed class CountingMemoryStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            base.Write(buffer);
        }

        // The sink disposes its writer and stream; keep the bytes readable for the assertions.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
