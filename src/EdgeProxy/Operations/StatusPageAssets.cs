namespace EdgeProxy.Operations;

/// <summary>The status page's three files, embedded in the assembly (no web root to mount or to write to).</summary>
public static class StatusPageAssets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["/status.css"] = (Read("status.css"), "text/css; charset=utf-8"),
        ["/status.js"] = (Read("status.js"), "text/javascript; charset=utf-8"),
    };

    public static bool TryGet(string path, out byte[] content, out string contentType)
    {
        var found = Files.TryGetValue(path, out var file);
        (content, contentType) = found ? file : ([], "");
        return found;
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(StatusPageAssets).Assembly.GetManifestResourceStream("StatusPage/" + name)
            ?? throw new InvalidOperationException($"status page asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
