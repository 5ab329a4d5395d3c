using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>Collects log events so tests can assert what the proxy logged.</summary>
public sealed class InMemorySink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IEnumerable<LogEvent> WithEventId(int id) => Events.Where(e =>
        e.Properties.TryGetValue("EventId", out var value) && value is StructureValue s
        && s.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int i } && i == id));

    public static string Property(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) ? (value is ScalarValue { Value: string s } ? s : value.ToString()) : "";
}
