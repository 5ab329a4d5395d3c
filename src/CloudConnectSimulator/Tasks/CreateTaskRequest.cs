using System.Text.Json;

namespace CloudConnectSimulator.Tasks;

/// <summary>Body of <c>POST /drapi/v1/tasks</c>.</summary>
internal sealed record CreateTaskRequest(string? MediaType, string? Name, IReadOnlyList<string>? Tags, JsonElement? Variables);
