using System.Buffers;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Parsing;

namespace EdgeProxy.Operations;

/// <summary>
/// Log lines to stdout without a write per line and without ever holding a request: each event is
/// formatted where it is logged (so it dies young, in gen0) and its bytes are appended to a buffer; a
/// background thread writes the buffer every 50 ms while lines keep coming, or at once when 256 KB are
/// waiting. Otherwise only a line arriving after 50 ms without any wakes it: under load the writer runs on its
/// own timer and requests seldom pay for a wake-up (before, the first line of every batch woke it, and so did
/// every 64 KB: about 500 wake-ups a second at full load, bench/README.md, Round 3).
/// If stdout stops draining, lines beyond 8 MB waiting are dropped and counted in a warning line rather
/// than blocking requests or growing memory. Hand-written because Serilog's console sink writes and
/// flushes every event on the logging thread (a system call per request for the access log, and with
/// I/O continuations inline a stalled stdout would stall every connection), and its batching sink keeps
/// every event alive until its batch is written, which promotes them out of gen0.
/// </summary>
public sealed class StdoutLineSink : ILogEventSink, IDisposable
{
    public const int WriteThreshold = 256 * 1024;

    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private static readonly MessageTemplate DroppedTemplate = new MessageTemplateParser().Parse(
        "{DroppedLines} log lines were dropped: stdout did not take them fast enough");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_line;

    private readonly Stream _output;
    private readonly Action<LogEvent, IBufferWriter<byte>> _format;
    private readonly int _maxPendingBytes;
    private readonly Lock _sync = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private ArrayBufferWriter<byte> _pending = new(WriteThreshold * 2);
    private ArrayBufferWriter<byte> _writing = new(WriteThreshold * 2);
    private long _dropped;
    private bool _parked; // the writer found nothing to write and waits for the next line without a timeout
    private volatile bool _stopping;

    /// <param name="output">Where the lines go (stdout).</param>
    /// <param name="format">Appends one event's line, newline included; JSON lines when not given.</param>
    /// <param name="maxPendingBytes">How much may wait for a stalled output before lines are dropped.</param>
    public StdoutLineSink(Stream output, Action<LogEvent, IBufferWriter<byte>>? format = null, int maxPendingBytes = 8 * 1024 * 1024)
    {
        _output = output;
        _format = format ?? JsonLineFormatter.Write;
        _maxPendingBytes = maxPendingBytes;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "EdgeProxy log writer" };
        _writer.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        var line = t_line ??= new ArrayBufferWriter<byte>(1024);
        line.ResetWrittenCount();
        _format(logEvent, line);
        bool wake;
        lock (_sync)
        {
            if (_pending.WrittenCount + line.WrittenCount > _maxPendingBytes)
            {
                _dropped++;
                return;
            }

            // Wake the writer only when it is parked (it then waits FlushDelay for more) or when a write's worth is waiting.
            var before = _pending.WrittenCount;
            _pending.Write(line.WrittenSpan);
            wake = _parked || (before < WriteThreshold && _pending.WrittenCount >= WriteThreshold);
            _parked = false;
        }

        if (wake)
        {
            _wake.Set();
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        _writer.Join();
        _wake.Dispose();
    }

    private void WriteLoop()
    {
        var wrote = false;
        while (!_stopping)
        {
            // Parked only after a whole FlushDelay brought no line: under steady load, even a light one, the writer runs
            // on its own timer, however quickly it empties the buffer.
            if (!wrote && Park())
            {
                _wake.WaitOne();
            }

            if (!_stopping && PendingBytes() < WriteThreshold)
            {
                _wake.WaitOne(FlushDelay);
            }

            wrote = WritePending();
        }

        WritePending();
    }

    private bool Park()
    {
        lock (_sync)
        {
            _parked = !_stopping && _pending.WrittenCount == 0 && _dropped == 0;
            return _parked;
        }
    }

    private int PendingBytes()
    {
        lock (_sync)
        {
            return _pending.WrittenCount;
        }
    }

    // Returns whether there was anything to write.
    private bool WritePending()
    {
        long dropped;
        lock (_sync)
        {
            (_pending, _writing) = (_writing, _pending);
            dropped = _dropped;
            _dropped = 0;
        }

        try
        {
            if (dropped > 0)
            {
                _format(new LogEvent(DateTimeOffset.Now, LogEventLevel.Warning, null, DroppedTemplate,
                    [new LogEventProperty("DroppedLines", new ScalarValue(dropped)), new LogEventProperty("SourceContext", new ScalarValue(typeof(StdoutLineSink).FullName))]), _writing);
            }

            if (_writing.WrittenCount == 0)
            {
                return false;
            }

            _output.Write(_writing.WrittenSpan);
            _output.Flush();
            return true;
        }
        catch (IOException ex)
        {
            SelfLog.WriteLine("EdgeProxy log writer: stdout write failed, {0} bytes lost: {1}", _writing.WrittenCount, ex.Message);
            return true;
        }
        finally
        {
            _writing.ResetWrittenCount();
        }
    }
}
