namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>Locates files of the repository (sample certificates, env files) from the test output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleCerts => Path.Combine(Root, "certs-sample");

    public static string SampleCert(string name) => Path.Combine(SampleCerts, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeProxy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EdgeProxy.sln not found above " + AppContext.BaseDirectory);
    }
}
