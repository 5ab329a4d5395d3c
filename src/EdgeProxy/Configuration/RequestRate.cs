namespace EdgeProxy.Configuration;

/// <summary>An nginx <c>limit_req</c> rate such as <c>100r/s</c> or <c>5r/m</c>.</summary>
public readonly record struct RequestRate(int Requests, TimeSpan Period)
{
    public override string ToString() => $"{Requests}r/{(Period == TimeSpan.FromMinutes(1) ? "m" : "s")}";
}
