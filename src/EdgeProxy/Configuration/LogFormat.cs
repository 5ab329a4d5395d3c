namespace EdgeProxy.Configuration;

/// <summary>Log output format on stdout.</summary>
public enum LogFormat
{
    Json,
    Text,
}
