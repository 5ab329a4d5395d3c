namespace EdgeProxy.Hosting;

/// <summary>What the command line asks for.</summary>
public enum Command
{
    Serve,
    Check,
    Health,
    Help,
}

/// <summary>
/// Parses <c>EdgeProxy [serve|check|health] [--env FILE]... [--env-dir DIR]...</c>. Hand-written: two options
/// and a verb do not justify System.CommandLine, and the contract must stay exactly this.
/// </summary>
public sealed record CommandLine(Command Command, Configuration.EnvSources Sources, string? Error)
{
    public const string Usage = """
        Usage: EdgeProxy [serve|check|health] [--env FILE]... [--env-dir DIR]...

          serve          run the proxy (the default)
          check          validate the configuration, print it (secrets masked), exit 0 if valid, 1 if not
          health         ask the running proxy's status listener (PROXY_BINDING_INTERNAL_IP:NGX_PRXY_STATUS_PORT)
                         for /healthz within 3 s, exit 0 if it answers 200, 1 if not (for container health checks)
          --env FILE     read an env file; repeatable, later files win
          --env-dir DIR  read every *.env in DIR in name order (after --env files); repeatable
          --help         show this help

        Process environment variables override the files. ASP.NET Core's --environment=, --contentRoot= and
        --applicationName= (passed by its test host) are accepted and have no effect.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var command = Command.Serve;
        var files = new List<string>();
        var directories = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "serve" when i == 0:
                    command = Command.Serve;
                    break;
                case "check" when i == 0:
                    command = Command.Check;
                    break;
                case "health" when i == 0:
                    command = Command.Health;
                    break;
                case "--help" or "-h" or "help":
                    return new CommandLine(Command.Help, Configuration.EnvSources.None, null);
                case "--env" or "--env-dir":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        return Fail($"{arg} needs a value");
                    }

                    (arg == "--env" ? files : directories).Add(args[++i]);
                    break;
                case "--env=" or "--env-dir=":
                    return Fail($"{arg[..^1]} needs a value");
                default:
                    if (arg.StartsWith("--env=", StringComparison.Ordinal))
                    {
                        files.Add(arg["--env=".Length..]);
                    }
                    else if (arg.StartsWith("--env-dir=", StringComparison.Ordinal))
                    {
                        directories.Add(arg["--env-dir=".Length..]);
                    }
                    else if (IsHostingSwitch(arg))
                    {
                        // ASP.NET Core's host switches, as WebApplicationFactory passes them; they change nothing here.
                    }
                    else
                    {
                        return Fail($"unknown argument '{arg}'");
                    }

                    break;
            }
        }

        return new CommandLine(command, new Configuration.EnvSources(files, directories), null);
    }

    private static readonly string[] HostingSwitches = ["--environment=", "--contentRoot=", "--applicationName="];

    private static bool IsHostingSwitch(string arg) => HostingSwitches.Any(s => arg.StartsWith(s, StringComparison.Ordinal));

    private static CommandLine Fail(string error) => new(Command.Help, Configuration.EnvSources.None, error);
}
