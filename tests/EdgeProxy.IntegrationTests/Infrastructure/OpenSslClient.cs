using System.Diagnostics;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary><c>openssl s_client</c> against a local EdgeProxy, as an operator would check its TLS.</summary>
public static class OpenSslClient
{
    public static async Task<(int ExitCode, string Output)> ConnectAsync(int port, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "edgeproxy.lab.local",
            "-CAfile", RepoPaths.SampleCert("ca.crt"), "-verify_return_error", "-brief" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl is required for the TLS tests");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
