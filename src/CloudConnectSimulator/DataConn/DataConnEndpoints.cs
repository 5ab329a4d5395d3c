using CloudConnectSimulator.Hosting;

namespace CloudConnectSimulator.DataConn;

/// <summary>
/// <c>/dataconn/...</c>: user-sync callbacks, any method, whatever the DR mode (DataConn never fails over).
/// The callback itself is recorded by <see cref="Recording.RecordingMiddleware"/>.
/// </summary>
internal static class DataConnEndpoints
{
    public static void MapDataConn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/dataconn/{**callback}", () => Results.Json(new { received = true }, SimulatorJson.Options));
    }
}
