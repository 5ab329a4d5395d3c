using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using EdgeProxy.Operations;
using Serilog;

InlineIo.ApplyDefault();
Log.Logger = LoggingSetup.CreateBootstrapLogger();
try
{
    var commandLine = CommandLine.Parse(args);
    if (commandLine.Command == Command.Help)
    {
        (commandLine.Error is null ? Console.Out : Console.Error).WriteLine(
            (commandLine.Error is null ? "" : $"error: {commandLine.Error}\n\n") + CommandLine.Usage);
        return commandLine.Error is null ? 0 : 2;
    }

    if (commandLine.Command == Command.Health)
    {
        return await HealthCommand.RunAsync(commandLine.Sources, ReadEnvironment(), Console.Out);
    }

    var result = ConfigurationLoader.Load(commandLine.Sources, ReadEnvironment());
    if (commandLine.Command == Command.Check)
    {
        return CheckCommand.Run(result, Console.Out);
    }

    if (result.Configuration is null)
    {
        foreach (var line in StartupFailure.DescribeConfiguration(result.Errors))
        {
            Log.Fatal("{Line}", line);
        }

        return 1;
    }

    Log.CloseAndFlush();
    var app = EdgeProxyApp.Build(result.Configuration, result.Notices, new EdgeProxyAppOptions
    {
        Sources = commandLine.Sources,
        ProcessEnvironment = ReadEnvironment,
    });
    return await ServeCommand.RunAsync(app, result.Configuration.Settings);
}
catch (Exception ex)
{
    Log.Fatal(ex, "EdgeProxy terminated unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

static IReadOnlyDictionary<string, string> ReadEnvironment() => Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
