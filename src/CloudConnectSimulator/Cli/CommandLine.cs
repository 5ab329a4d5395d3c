using System.Globalization;
using System.Net;

namespace CloudConnectSimulator.Cli;

/// <summary>Result of parsing the standalone command line: options, a help request, or every error found.</summary>
internal sealed record CommandLineResult(SimulatorOptions? Options, bool ShowHelp, IReadOnlyList<string> Errors);

/// <summary>Parses the standalone simulator's arguments (<c>--flag value</c> or <c>--flag=value</c>).</summary>
internal static class CommandLine
{
    public const string Usage = """
        Cloud Connect node simulator: a stand-in for one Cisco Cloud Connect node (publisher or subscriber)
        with mutual TLS, DR ping and task API, DataConn callbacks and a loopback admin API.

        Usage:
          CloudConnectSimulator --listen IP:PORT --cert FILE --key FILE --client-ca FILE [options]

        Required:
          --listen IP:PORT        HTTPS (mutual TLS) listen address, e.g. 127.0.0.11:8445 or [::1]:8445
          --cert FILE             node server certificate (PEM, optionally followed by intermediates)
          --key FILE              its private key (PEM: PKCS#8, EC or RSA, unencrypted)
          --client-ca FILE        PEM bundle of the CA(s) that must sign the client (proxy) certificate

        Options:
          --node-name NAME        node name reported by ping and the admin API (default: publisher);
                                  --name is accepted too (container runtimes have their own --name)
          --admin IP:PORT         plain-HTTP admin listener, loopback only (default: the --listen address, ephemeral port)
          --standby               start in standby mode (ping and task API answer 503)
          --delay-ms N            delay every HTTPS response by N milliseconds (default: 0)
          --queue-limit TYPE=N    max open tasks of a media type (repeatable; default chat, email, sms, social = 100)
          -h, --help              show this help

        Admin API (http://ADMIN/admin/...):
          GET state | POST mode/{active|standby|dead} | POST delay?ms=N | GET requests | GET dataconn | POST reset

        Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 failed to start, 2 bad arguments.
        """;

    public static CommandLineResult Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queueLimitsCleared = false;

        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inlineValue) = Split(args[i]);
            // --name is the older spelling; --node-name cannot be mistaken for `docker run --name` in a command line.
            if (flag == "--name")
            {
                flag = "--node-name";
            }

            if (flag is "-h" or "--help")
            {
                return new CommandLineResult(null, ShowHelp: true, []);
            }

            if (flag != "--queue-limit" && !seen.Add(flag))
            {
                errors.Add(flag == "--node-name" ? "--node-name (or --name) is given more than once" : $"{flag} is given more than once");
            }

            switch (flag)
            {
                case "--standby":
                    options.InitialMode = NodeMode.Standby;
                    break;
                case "--node-name" or "--listen" or "--admin" or "--cert" or "--key" or "--client-ca" or "--delay-ms" or "--queue-limit":
                    var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                    if (value is null)
                    {
                        errors.Add($"{flag} needs a value");
                    }
                    else
                    {
                        Apply(options, flag, value, errors, ref queueLimitsCleared);
                    }

                    break;
                default:
                    errors.Add($"unknown argument '{args[i]}'");
                    break;
            }
        }

        foreach (var required in new[] { "--listen", "--cert", "--key", "--client-ca" })
        {
            if (!seen.Contains(required))
            {
                errors.Add($"{required} is required");
            }
        }

        if (errors.Count == 0)
        {
            errors.AddRange(SimulatorOptionsValidator.Validate(options));
        }

        return new CommandLineResult(errors.Count == 0 ? options : null, ShowHelp: false, errors);
    }

    private static (string Flag, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static void Apply(SimulatorOptions options, string flag, string value, List<string> errors, ref bool queueLimitsCleared)
    {
        switch (flag)
        {
            case "--node-name":
                options.Name = value;
                break;
            case "--listen" when TryParseEndPoint(value, out var endPoint):
                options.Address = endPoint.Address;
                options.HttpsPort = endPoint.Port;
                break;
            case "--admin" when TryParseEndPoint(value, out var endPoint):
                options.AdminAddress = endPoint.Address;
                options.AdminPort = endPoint.Port;
                break;
            case "--listen" or "--admin":
                errors.Add($"{flag} '{value}' is not IP:PORT (an IP address, not a host name; IPv6 as [::1]:8445)");
                break;
            case "--cert":
                options.CertificatePath = value;
                break;
            case "--key":
                options.KeyPath = value;
                break;
            case "--client-ca":
                options.ClientCaPath = value;
                break;
            case "--delay-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                options.Delay = TimeSpan.FromMilliseconds(ms);
                break;
            case "--delay-ms":
                errors.Add($"--delay-ms '{value}' is not a whole number of milliseconds (0 or more)");
                break;
            case "--queue-limit":
                ApplyQueueLimit(options, value, errors, ref queueLimitsCleared);
                break;
        }
    }

    private static void ApplyQueueLimit(SimulatorOptions options, string value, List<string> errors, ref bool queueLimitsCleared)
    {
        var parts = value.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            errors.Add($"--queue-limit '{value}' is not TYPE=N, e.g. chat=100");
            return;
        }

        // Given limits replace the defaults instead of merging with them, so what is on the command line is the whole truth.
        if (!queueLimitsCleared)
        {
            options.QueueLimits.Clear();
            queueLimitsCleared = true;
        }

        options.QueueLimits[parts[0]] = limit;
    }

    private static bool TryParseEndPoint(string value, out IPEndPoint endPoint) =>
        IPEndPoint.TryParse(value, out endPoint!) && value.Contains(':', StringComparison.Ordinal) && !value.EndsWith(']');
}
