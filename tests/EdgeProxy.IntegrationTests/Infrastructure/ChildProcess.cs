using System.Diagnostics;
using System.Globalization;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>Runs a program to its end and returns its exit code and output; on the deadline it is sent SIGTERM (so its own traps run).</summary>
public static class ChildProcess
{
    /// <summary>The built EdgeProxy (beside the test binaries) as <c>dotnet EdgeProxy.dll ARGS</c>.</summary>
    public static Task<Result> EdgeProxyAsync(IEnumerable<string> arguments, IEnumerable<(string Key, string Value)>? environment = null, IEnumerable<string>? prefix = null) =>
        RunAsync([.. prefix ?? [], "dotnet", Path.Combine(AppContext.BaseDirectory, "EdgeProxy.dll"), .. arguments], environment, timeout: TimeSpan.FromSeconds(60));

    public static async Task<Result> RunAsync(IReadOnlyList<string> command, IEnumerable<(string Key, string Value)>? environment = null, string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await process.WaitForExitAsync();
            return new Result(-1, await stdout, $"timed out after {timeout}\n" + await stderr);
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;

        public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
