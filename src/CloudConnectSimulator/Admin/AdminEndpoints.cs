using System.Globalization;
using CloudConnectSimulator.Hosting;
using CloudConnectSimulator.Tasks;

namespace CloudConnectSimulator.Admin;

/// <summary>The plain-HTTP, loopback-only admin API that makes the node active, standby, slow or dead.</summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder endpoints, SimulatorNode node, TaskStore tasks)
    {
        var admin = endpoints.MapGroup("/admin");

        admin.MapGet("/state", () => State(node, tasks));

        admin.MapPost("/mode/{mode}", (string mode) =>
        {
            if (!SimulatorJson.TryParseMode(mode, out var parsed))
            {
                return Error($"unknown mode '{mode}'; use active, standby or dead");
            }

            node.Mode = parsed;
            return State(node, tasks);
        });

        admin.MapPost("/delay", (HttpRequest request) =>
        {
            var ms = request.Query["ms"];
            if (ms.Count != 1 || !int.TryParse(ms[0], NumberStyles.None, CultureInfo.InvariantCulture, out var delayMs))
            {
                return Error("query parameter 'ms' is required: the delay in milliseconds, 0 or more");
            }

            node.Delay = TimeSpan.FromMilliseconds(delayMs);
            return State(node, tasks);
        });

        admin.MapGet("/requests", () => Results.Json(node.Requests, SimulatorJson.Options));

        admin.MapGet("/dataconn", () => Results.Json(node.DataConnCallbacks, SimulatorJson.Options));

        admin.MapPost("/reset", () =>
        {
            node.ClearRecords();
            tasks.Clear();
            return State(node, tasks);
        });
    }

    private static IResult State(SimulatorNode node, TaskStore tasks) => Results.Json(
        new
        {
            name = node.Name,
            mode = SimulatorJson.ModeName(node.Mode),
            delayMs = (long)node.Delay.TotalMilliseconds,
            openTasks = tasks.OpenCount,
            requests = node.RequestCount,
            connectionsRejected = node.ConnectionsRejected,
        },
        SimulatorJson.Options);

    private static IResult Error(string message) =>
        Results.Json(new { error = message }, SimulatorJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
