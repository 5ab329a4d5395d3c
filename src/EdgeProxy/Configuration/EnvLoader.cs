namespace EdgeProxy.Configuration;

/// <summary>
/// Reads env sources in Cisco's order, later wins: <c>--env</c> files in order, then every <c>*.env</c> of
/// each <c>--env-dir</c> in name order (as Cisco's launcher does), then the process environment.
/// </summary>
public static class EnvLoader
{
    /// <summary>Cisco's component marker: files whose template is not <c>cloudconnect</c> are ignored.</summary>
    public const string TemplateTypeKey = "TEMPLATE_TYPE";

    public const string FileNotFound = "env file not found";

    public const string DirectoryNotFound = "env directory not found";

    private const string CloudConnectTemplate = "cloudconnect";

    // Cisco's files refer to keys defined in files that sort later (cloudconnect.env uses ${NGX_SSL_DIR}
    // from dirs.env), so references that are not defined earlier fall back to definitions anywhere in
    // the set; a few passes settle chains of such references.
    private const int MaxResolutionPasses = 4;

    public static EnvSet Load(EnvSources sources, IReadOnlyDictionary<string, string> processEnvironment)
    {
        var errors = new List<ConfigError>();
        var files = ReadFiles(ExpandSources(sources, errors), errors);

        var anywhere = new Dictionary<string, string>(StringComparer.Ordinal);
        List<ParsedFile> parsed = [];
        for (var pass = 0; pass < MaxResolutionPasses; pass++)
        {
            var known = anywhere.Count;
            parsed = ParseAll(files, processEnvironment, anywhere);
            anywhere = parsed.Where(f => f.Included).SelectMany(f => f.Entries)
                .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            if (anywhere.Count == known)
            {
                break;
            }
        }

        var notices = new List<ConfigNotice>();
        var values = new Dictionary<string, EnvEntry>(StringComparer.Ordinal);
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in parsed)
        {
            if (!file.Included)
            {
                notices.Add(new ConfigNotice(true, $"{file.Path}: {TemplateTypeKey}={file.Template} is not a Cloud Connect component file; ignored"));
                continue;
            }

            errors.AddRange(file.Errors);
            var seen = new Dictionary<string, EnvOrigin>(StringComparer.Ordinal);
            foreach (var entry in file.Entries)
            {
                if (seen.TryGetValue(entry.Key, out var first))
                {
                    notices.Add(new ConfigNotice(true, $"{entry.Origin}: {entry.Key} is also set at line {first.Line}; the later value wins"));
                }

                seen[entry.Key] = entry.Origin;
                Accept(entry, values, ignored, errors);
            }
        }

        foreach (var (key, value) in processEnvironment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (PropertyCatalog.FindIgnoringCase(key) is not null || IsUnknownEdgeProxyKey(key))
            {
                Accept(new EnvEntry(key, value, EnvOrigin.Environment), values, ignored, errors);
            }
        }

        if (ignored.Count > 0)
        {
            notices.Add(new ConfigNotice(false, $"ignored {ignored.Count} key(s) EdgeProxy does not use: {string.Join(", ", ignored)}"));
        }

        return new EnvSet(values, parsed.Where(f => f.Included).Select(f => f.Path).ToList(), notices, errors);
    }

    private static List<ParsedFile> ParseAll(List<(string Path, string Text)> files, IReadOnlyDictionary<string, string> processEnvironment, Dictionary<string, string> anywhere)
    {
        var earlier = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<ParsedFile>();
        foreach (var (path, text) in files)
        {
            var fileErrors = new List<ConfigError>();
            var entries = EnvFileParser.Parse(path, text,
                key => earlier.GetValueOrDefault(key) ?? processEnvironment.GetValueOrDefault(key) ?? anywhere.GetValueOrDefault(key), fileErrors);
            var template = entries.LastOrDefault(e => e.Key == TemplateTypeKey)?.Value;
            var included = template is null || template.Equals(CloudConnectTemplate, StringComparison.OrdinalIgnoreCase);
            if (included)
            {
                foreach (var entry in entries)
                {
                    earlier[entry.Key] = entry.Value;
                }
            }

            result.Add(new ParsedFile(path, included, template, entries, fileErrors));
        }

        return result;
    }

    private static List<(string Path, string Text)> ReadFiles(List<string> paths, List<ConfigError> errors)
    {
        var files = new List<(string, string)>();
        foreach (var path in paths)
        {
            try
            {
                files.Add((path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigError(new EnvOrigin(path, 0), null, $"cannot read env file: {ex.Message}"));
            }
        }

        return files;
    }

    private sealed record ParsedFile(string Path, bool Included, string? Template, List<EnvEntry> Entries, List<ConfigError> Errors);

    private static void Accept(EnvEntry entry, Dictionary<string, EnvEntry> values, SortedSet<string> ignored, List<ConfigError> errors)
    {
        if (PropertyCatalog.Find(entry.Key) is not null)
        {
            values[entry.Key] = entry;
        }
        else if (PropertyCatalog.FindIgnoringCase(entry.Key) is { } spelling)
        {
            // Keys are case-sensitive as in Cisco's files; one that differs only by case is a typo, not a foreign key.
            errors.Add(new ConfigError(entry.Origin, entry.Key, $"unknown key; did you mean {spelling}? (keys are case-sensitive)"));
        }
        else if (IsUnknownEdgeProxyKey(entry.Key))
        {
            var suggestion = PropertyCatalog.Suggest(entry.Key);
            errors.Add(new ConfigError(entry.Origin, entry.Key, "unknown EdgeProxy key" + (suggestion is null ? "" : $"; did you mean {suggestion}?")));
        }
        else if (entry.Key != TemplateTypeKey)
        {
            ignored.Add(entry.Key);
        }
    }

    private static bool IsUnknownEdgeProxyKey(string key) =>
        key.StartsWith("EDGEPROXY_", StringComparison.Ordinal) && PropertyCatalog.Find(key) is null;

    private static List<string> ExpandSources(EnvSources sources, List<ConfigError> errors)
    {
        var files = new List<string>();
        foreach (var file in sources.Files)
        {
            if (File.Exists(file))
            {
                files.Add(Path.GetFullPath(file));
            }
            else
            {
                errors.Add(new ConfigError(new EnvOrigin(file, 0), null, FileNotFound));
            }
        }

        foreach (var directory in sources.Directories)
        {
            if (!Directory.Exists(directory))
            {
                errors.Add(new ConfigError(new EnvOrigin(directory, 0), null, DirectoryNotFound));
                continue;
            }

            var found = Directory.GetFiles(directory, "*.env").Order(StringComparer.Ordinal).ToList();
            if (found.Count == 0)
            {
                errors.Add(new ConfigError(new EnvOrigin(directory, 0), null, "env directory has no *.env file"));
            }

            files.AddRange(found.Select(Path.GetFullPath));
        }

        return files;
    }
}
