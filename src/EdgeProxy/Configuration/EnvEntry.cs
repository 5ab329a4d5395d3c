namespace EdgeProxy.Configuration;

/// <summary>One <c>KEY=VALUE</c> assignment after unquoting and interpolation.</summary>
public sealed record EnvEntry(string Key, string Value, EnvOrigin Origin);
