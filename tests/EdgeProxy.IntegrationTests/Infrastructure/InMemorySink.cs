using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>Collects log events so tests can assert what the proxy logged.</summary>
public sealed class InMemorySink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();
    private TaskCompletionSource _emitted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent)
    {
        _events.Enqueue(logEvent);
        Interlocked.Exchange(ref _emitted, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> events with the id were logged. A client can see its response
    /// before the server has finished the request: the access log (4001) is written, after the request's metrics,
    /// when the pipeline unwinds.
    /// </summary>
    public async Task<IReadOnlyList<LogEvent>> WaitForEventIdAsync(int id, int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var emitted = Volatile.Read(ref _emitted).Task;
            var found = WithEventId(id).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            try
            {
                await emitted.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{found.Count} of {count} events with id {id} were logged in time");
            }
        }
    }

    public IEnumerable<LogEvent> WithEventId(int id) => Events.Where(e =>
        e.Properties.TryGetValue("EventId", out var value) && value is StructureValue s
        && s.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int i } && i == id));

    public static string Property(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) ? (value is ScalarValue { Value: string s } ? s : value.ToString()) : "";
}
