namespace EdgeProxy.Configuration;

/// <summary>
/// Which file events can change the configuration: the env and certificate files EdgeProxy read (by their paths as
/// configured, also when an editor renames a new file into place), any <c>*.env</c> in an env directory, and the
/// kubelet's atomic swap of a ConfigMap or Secret volume (<c>..data</c> symlink and its timestamped <c>..</c> directories).
/// </summary>
public sealed class WatchedFiles(IEnumerable<string> files, IEnumerable<string> envDirectories)
{
    public static readonly WatchedFiles None = new([], []);

    private readonly HashSet<string> _files = new(files, StringComparer.Ordinal);
    private readonly HashSet<string> _envDirectories = new(envDirectories.Select(d => Path.TrimEndingDirectorySeparator(d)), StringComparer.Ordinal);

    public bool IsRelevant(FileSystemEventArgs e) =>
        IsRelevant(e.FullPath) || (e is RenamedEventArgs renamed && IsRelevant(renamed.OldFullPath));

    public bool IsRelevant(string path)
    {
        if (_files.Contains(path))
        {
            return true;
        }

        var name = Path.GetFileName(path);
        if (name.StartsWith("..", StringComparison.Ordinal))
        {
            return true;
        }

        return name.EndsWith(".env", StringComparison.Ordinal) && Path.GetDirectoryName(path) is { } directory && _envDirectories.Contains(directory);
    }
}
