using System.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace EdgeProxy.Operations;

/// <summary>
/// Log lines to stdout in batches, behind Serilog's own batching sink: requests only queue their event;
/// a background task formats each batch and writes it with one write instead of one per line (the
/// console sink flushes every event, a system call per request for the access log).
/// </summary>
public sealed class BatchedStdoutSink : IBatchedLogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _output;

    public BatchedStdoutSink(ITextFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _output = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { AutoFlush = false };
    }

    /// <summary>
    /// How the batching sink drains the queue: up to 1,000 lines per write, each line out within 100 ms,
    /// and at most 20,000 lines queued (about 30 MB) if stdout stops draining; beyond that lines are
    /// dropped rather than holding requests or memory.
    /// </summary>
    public static BatchingOptions Options { get; } = new()
    {
        BatchSizeLimit = 1000,
        BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
        QueueLimit = 20_000,
        EagerlyEmitFirstEvent = true,
    };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            _formatter.Format(logEvent, _output);
        }

        _output.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _output.Dispose();
}
