namespace EdgeProxy.Hosting;

/// <summary>
/// Runs socket completions and Kestrel's continuations on the I/O thread that saw the event, as nginx's
/// event loop does, instead of handing each one to the thread pool: every hand-off was a thread wake-up
/// and a context switch, the largest single cost of a proxied request on one core (bench/README.md).
/// Safe here because nothing on the request path blocks. On by default; an operator turns it off with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>.
/// </summary>
public static class InlineIo
{
    /// <summary>The runtime's own switch; the socket engine reads it once, when the first socket is used.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the runtime's switch unless the operator set it; call before any socket is created.</summary>
    public static void ApplyDefault()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }

    /// <summary>Whether Kestrel should schedule inline too: unless the operator turned the switch off.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) != "0";
}
