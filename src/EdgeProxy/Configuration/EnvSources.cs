namespace EdgeProxy.Configuration;

/// <summary>The env files and directories named on the command line, in order.</summary>
public sealed record EnvSources(IReadOnlyList<string> Files, IReadOnlyList<string> Directories)
{
    public static EnvSources None { get; } = new([], []);
}
