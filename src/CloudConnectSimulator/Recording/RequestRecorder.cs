namespace CloudConnectSimulator.Recording;

/// <summary>Keeps the latest requests the node received, and separately the DataConn callbacks among them.</summary>
internal sealed class RequestRecorder
{
    /// <summary>Entries kept per list; older ones are dropped first.</summary>
    public const int Capacity = 10_000;

    private readonly BoundedLog<RecordedRequest> _requests = new(Capacity);
    private readonly BoundedLog<RecordedRequest> _dataConnCallbacks = new(Capacity);

    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    public IReadOnlyList<RecordedRequest> DataConnCallbacks => _dataConnCallbacks.Snapshot();

    public int RequestCount => _requests.Count;

    public void Record(RecordedRequest request, bool isDataConnCallback)
    {
        _requests.Add(request);
        if (isDataConnCallback)
        {
            _dataConnCallbacks.Add(request);
        }
    }

    public void Clear()
    {
        _requests.Clear();
        _dataConnCallbacks.Clear();
    }
}
