using System.Runtime.InteropServices;
using CloudConnectSimulator.Cli;

namespace CloudConnectSimulator;

/// <summary>
/// Entry point of the standalone simulator. Not top-level statements: a test project that references both this
/// project and EdgeProxy would otherwise see two global <c>Program</c> types.
/// </summary>
public static class SimulatorProgram
{
    /// <summary>Runs one node until Ctrl-C or SIGTERM.</summary>
    /// <returns>0 after a clean stop, 1 when the node cannot start, 2 for bad arguments.</returns>
    public static async Task<int> Main(string[] args)
    {
        var parsed = CommandLine.Parse(args);
        if (parsed.ShowHelp)
        {
            await Console.Out.WriteAsync(CommandLine.Usage);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
            }

            await Console.Error.WriteLineAsync("Run CloudConnectSimulator --help for usage.");
            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        options.LoggerFactory = loggerFactory;

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        SimulatorNode node;
        try
        {
            node = await SimulatorNode.StartAsync(options, stop.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"error: the node could not start: {ex.Message}");
            return 1;
        }

        await using (node)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: fall through to a clean stop.
            }

            await node.StopAsync();
        }

        return 0;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stop cleanly instead of letting the runtime kill the process
            stop.Cancel();
        }
    }
}
