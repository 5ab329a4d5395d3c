using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudConnectSimulator.Hosting;

/// <summary>JSON settings of every simulator response: camelCase like Cisco's APIs, nulls left out.</summary>
internal static class SimulatorJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ModeName(NodeMode mode) => mode switch
    {
        NodeMode.Active => "active",
        NodeMode.Standby => "standby",
        NodeMode.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool TryParseMode(string text, out NodeMode mode)
    {
        foreach (var candidate in Enum.GetValues<NodeMode>())
        {
            if (string.Equals(ModeName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}
