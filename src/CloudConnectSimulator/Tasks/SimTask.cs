using System.Text.Json;

namespace CloudConnectSimulator.Tasks;

/// <summary>A Digital Routing task as the task API returns it; times are epoch milliseconds.</summary>
internal sealed record SimTask(
    string Id,
    string MediaType,
    string? Name,
    IReadOnlyList<string>? Tags,
    JsonElement? Variables,
    string State,
    long CreatedAt,
    long UpdatedAt,
    long? ClosedAt,
    long Seq)
{
    public const string Open = "open";
    public const string Closed = "closed";

    public bool IsOpen => State == Open;
}
