using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary><c>EdgeProxy check</c>: the start-up validation, printed, like <c>nginx -t</c>.</summary>
public static class CheckCommand
{
    public const string MaskedValue = "<masked>";

    public static int Run(LoadResult result, TextWriter output)
    {
        foreach (var file in result.Env.FilesRead)
        {
            output.WriteLine($"# read {file}");
        }

        foreach (var notice in result.Notices)
        {
            output.WriteLine(notice);
        }

        var width = PropertyCatalog.All.Max(p => p.Name.Length);
        output.WriteLine();
        output.WriteLine("# effective configuration (value, then where it came from)");
        foreach (var property in PropertyCatalog.All)
        {
            var (value, origin, key) = property.Effective(result.Env);
            var shown = value is null ? "(not set)" : property.Masked ? MaskedValue : value;
            // A value set through an alias (NGX_PRXY_STATUS_IP) says so, or the operator would look for the key in vain.
            var spelling = key == property.Name ? "" : $" as {key}";
            output.WriteLine($"{property.Name.PadRight(width)} = {shown}  # {origin}{spelling}");
        }

        output.WriteLine();
        if (result.Configuration is { } configuration)
        {
            output.WriteLine($"configuration is valid (version {configuration.Version})");
            return 0;
        }

        foreach (var error in result.Errors)
        {
            output.WriteLine($"error: {error}");
        }

        output.WriteLine($"configuration is invalid: {result.Errors.Count} error(s)");
        return 1;
    }
}
