using System.Collections.Concurrent;
using CloudConnectSimulator.Logging;
using Microsoft.AspNetCore.Connections;

namespace CloudConnectSimulator.Connections;

/// <summary>
/// Connection middleware in front of TLS: drops new connections while the node is dead or stopping,
/// and can abort every open connection, because a crashed node also takes its keep-alive connections with it.
/// </summary>
internal sealed class ConnectionGate(NodeState state, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ConnectionContext> _open = new();
    private volatile bool _closing;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (_closing)
        {
            connection.Abort(new ConnectionAbortedException("The node is stopping."));
            return;
        }

        if (state.Mode == NodeMode.Dead)
        {
            // Counted before the abort so a client that sees the reset also sees the counter moved.
            state.CountRejectedConnection();
            SimulatorLog.ConnectionDropped(logger, state.Name, connection.RemoteEndPoint?.ToString());
            connection.Abort(new ConnectionAbortedException("The node is dead."));
            return;
        }

        _open[connection.ConnectionId] = connection;
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
        }
    };

    public void Abort(string connectionId)
    {
        if (_open.TryRemove(connectionId, out var connection))
        {
            connection.Abort(new ConnectionAbortedException("The node is dead."));
        }
    }

    public void AbortAll()
    {
        foreach (var id in _open.Keys)
        {
            Abort(id);
        }
    }

    /// <summary>Refuses new connections and aborts the open ones, as a killed process would.</summary>
    public void Close()
    {
        _closing = true;
        AbortAll();
    }
}
