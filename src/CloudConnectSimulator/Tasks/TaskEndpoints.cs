using System.Globalization;
using System.Text.Json;
using CloudConnectSimulator.Drapi;
using CloudConnectSimulator.Hosting;

namespace CloudConnectSimulator.Tasks;

/// <summary>The DR task API under <c>/drapi/v1/tasks</c>: create, list changes since a cursor, get, close.</summary>
internal static class TaskEndpoints
{
    private const string Prefix = "/drapi/v1/tasks";

    public static void MapTasks(this IEndpointRouteBuilder endpoints, NodeState state, TaskStore store)
    {
        var tasks = endpoints.MapGroup(Prefix).AddEndpointFilter(new StandbyFilter(state));

        tasks.MapPost("", async (HttpRequest request) =>
        {
            CreateTaskRequest? body;
            try
            {
                // No Content-Type check: a simulator should accept what a lenient client sends.
                body = await JsonSerializer.DeserializeAsync<CreateTaskRequest>(request.Body, SimulatorJson.Options, request.HttpContext.RequestAborted);
            }
            catch (JsonException ex)
            {
                return BadRequest(ApiErrorBody.InvalidRequest($"request body is not valid task JSON: {ex.Message}"));
            }

            if (body is null || string.IsNullOrWhiteSpace(body.MediaType))
            {
                return BadRequest(ApiErrorBody.InvalidRequest("mediaType is required"));
            }

            var task = store.TryCreate(body);
            return task is null
                ? BadRequest(ApiErrorBody.QueueLimitExceeded())
                : Results.Created($"{Prefix}/{task.Id}", task); // serialized with SimulatorJson through the host's JSON options
        });

        tasks.MapGet("", (HttpRequest request) =>
        {
            var from = request.Query["from"];
            if (from.Count != 1 || !long.TryParse(from[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fromSeq))
            {
                return BadRequest(ApiErrorBody.InvalidRequest("query parameter 'from' is required: the last seq already seen, 0 to start"));
            }

            var changed = store.ChangedSince(fromSeq);
            var next = changed.Count > 0 ? changed[^1].Seq : fromSeq;
            return Results.Json(new { tasks = changed, next }, SimulatorJson.Options);
        });

        tasks.MapGet("/{id}", (string id) => Found(Guid.TryParse(id, out var guid) ? store.Get(guid) : null));

        tasks.MapPut("/{id}/close", (string id) => Found(Guid.TryParse(id, out var guid) ? store.Close(guid) : null));
    }

    private static IResult BadRequest(ApiErrorBody body) => Results.Json(body, SimulatorJson.Options, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Found(SimTask? task) => task is null
        ? Results.Json(ApiErrorBody.NotFound(), SimulatorJson.Options, statusCode: StatusCodes.Status404NotFound)
        : Results.Json(task, SimulatorJson.Options);
}
