using System.Reflection;
using Microsoft.Extensions.Logging;

namespace EdgeProxy.Tests.Operations;

public sealed class EventIdTests
{
    [Fact]
    public void EveryLoggerMessage_HasAnEventIdOfItsOwn()
    {
        var ids = LoggerMessages();

        Assert.NotEmpty(ids);
        var shared = ids.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}"))}").ToList();
        Assert.Empty(shared);
    }

    [Fact]
    public void EveryEventId_IsInTheOperatorsEventTable()
    {
        // docs/operations.md, "Log fields and event ids": one row per id, "| 1001 | Information | ...".
        var documented = File.ReadAllLines(Path.Combine(Support.RepositoryPaths.Root, "docs", "operations.md"))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 2 && int.TryParse(cells[1], out _))
            .Select(cells => int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

        var missing = LoggerMessages().Select(m => m.Attribute!.EventId).Where(id => !documented.Contains(id)).Order().ToList();

        Assert.Empty(missing);
    }

    private static List<(MethodInfo Method, LoggerMessageAttribute? Attribute)> LoggerMessages() =>
        typeof(EdgeProxy.Hosting.EdgeProxyApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();
}
