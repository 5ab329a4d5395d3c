namespace EdgeProxy.Admission;

/// <summary>
/// The blocking log: one event per refusal, under its own category so it can be routed apart from
/// the application log. Ids 3000-3099.
/// </summary>
internal static partial class AdmissionLog
{
    public const string Category = "EdgeProxy.Blocking";

    [LoggerMessage(3001, LogLevel.Warning, "Refused {Method} {Path} from peer {Peer}, client {Client}, claimed {Claimed}: {Reason} ({Status}, tracking id {TrackingId})")]
    public static partial void Refused(ILogger logger, string method, string path, string peer, string client, string claimed, RefusalReason reason, int status, string trackingId);
}
