namespace EdgeProxy.Configuration;

/// <summary>A non-fatal remark about the configuration, logged at start and by <c>check</c>.</summary>
public sealed record ConfigNotice(bool IsWarning, string Message)
{
    public override string ToString() => (IsWarning ? "warning: " : "info: ") + Message;
}
