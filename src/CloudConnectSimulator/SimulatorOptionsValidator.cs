using System.Net;

namespace CloudConnectSimulator;

/// <summary>Checks a <see cref="SimulatorOptions"/> and reports every problem at once, not just the first.</summary>
internal static class SimulatorOptionsValidator
{
    public static IReadOnlyList<string> Validate(SimulatorOptions options)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add("the node name must not be empty");
        }

        ValidatePort(errors, "HTTPS", options.HttpsPort);
        ValidatePort(errors, "admin", options.AdminPort);

        var adminAddress = options.AdminAddress ?? options.Address;
        if (options.Address is null)
        {
            errors.Add("the HTTPS listen address must be set");
        }
        else if (!IPAddress.IsLoopback(adminAddress))
        {
            errors.Add($"the admin address {adminAddress} is not a loopback address; the admin API has no authentication, "
                + "so it only listens on loopback (set the admin address to 127.0.0.1 when the HTTPS listener uses another address)");
        }
        else if (adminAddress.Equals(options.Address) && options.HttpsPort != 0 && options.HttpsPort == options.AdminPort)
        {
            errors.Add($"the HTTPS and admin listeners cannot share port {options.HttpsPort}");
        }

        ValidateFile(errors, "server certificate", options.CertificatePath);
        ValidateFile(errors, "server key", options.KeyPath);
        ValidateFile(errors, "client CA bundle", options.ClientCaPath);

        if (!Enum.IsDefined(options.InitialMode))
        {
            errors.Add($"unknown initial mode {(int)options.InitialMode}");
        }

        if (options.Delay < TimeSpan.Zero)
        {
            errors.Add($"the delay must not be negative (got {options.Delay})");
        }

        if (options.ClosedTaskRetention < TimeSpan.Zero)
        {
            errors.Add($"the closed-task retention must not be negative (got {options.ClosedTaskRetention})");
        }

        foreach (var (mediaType, limit) in options.QueueLimits)
        {
            if (string.IsNullOrWhiteSpace(mediaType) || limit < 0)
            {
                errors.Add($"queue limit '{mediaType}={limit}' is invalid: the media type must be named and the limit must be 0 or more");
            }
        }

        if (options.TimeProvider is null)
        {
            errors.Add("the time provider must be set");
        }

        return errors;
    }

    public static void ThrowIfInvalid(SimulatorOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options:" + string.Concat(errors.Select(e => Environment.NewLine + " - " + e)), nameof(options));
        }
    }

    private static void ValidatePort(List<string> errors, string listener, int port)
    {
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            errors.Add($"the {listener} port {port} is out of range (0 = ephemeral, up to {IPEndPoint.MaxPort})");
        }
    }

    private static void ValidateFile(List<string> errors, string what, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"the {what} file (PEM) must be given");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"the {what} file '{path}' does not exist");
        }
    }
}
