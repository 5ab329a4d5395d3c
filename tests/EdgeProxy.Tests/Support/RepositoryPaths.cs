namespace EdgeProxy.Tests.Support;

/// <summary>Locates files of the repository and of the test output directory.</summary>
internal static class RepositoryPaths
{
    public static string CiscoFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "cisco");

    /// <summary>The committed lab certificates (certs-sample/).</summary>
    public static string SampleCertificates => Path.Combine(Root, "certs-sample");

    /// <summary>The operator's property reference (docs/configuration.md), whose tables a test checks against the catalog.</summary>
    public static string ConfigurationReference => Path.Combine(Root, "docs", "configuration.md");

    /// <summary>The repository root, found by walking up from the test binaries to the solution file.</summary>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "EdgeProxy.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("EdgeProxy.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
