namespace EdgeProxy.Tests.Support;

/// <summary>A temporary directory for env files and certificates, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("edgeproxy-tests-").FullName;

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> (sub-directories created) and returns the full path.</summary>
    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string CreateDirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Litter in the temp directory is not worth failing a test.
        }
    }
}
