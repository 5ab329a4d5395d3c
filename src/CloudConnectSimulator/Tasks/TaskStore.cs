namespace CloudConnectSimulator.Tasks;

/// <summary>
/// The node's tasks: per-media-type queue limits, a change sequence for <c>?from=</c> polling,
/// and closed tasks forgotten after the retention time.
/// </summary>
internal sealed class TaskStore(IReadOnlyDictionary<string, int> queueLimits, TimeSpan closedTaskRetention, TimeProvider timeProvider)
{
    /// <summary>Most tasks one list call returns.</summary>
    public const int PageSize = 500;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, SimTask> _byId = [];
    private readonly SortedDictionary<long, Guid> _bySeq = [];
    private readonly Queue<(DateTimeOffset ClosedAt, Guid Id)> _closedInOrder = new();
    private readonly Dictionary<string, int> _openByMediaType = new(StringComparer.OrdinalIgnoreCase);
    private long _lastSeq;

    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _openByMediaType.Values.Sum();
            }
        }
    }

    /// <summary>Creates an open task, or returns <c>null</c> when the media type's queue is full.</summary>
    public SimTask? TryCreate(CreateTaskRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.MediaType);
        lock (_lock)
        {
            ForgetExpired();
            var open = _openByMediaType.GetValueOrDefault(request.MediaType);
            if (queueLimits.TryGetValue(request.MediaType, out var limit) && open >= limit)
            {
                return null;
            }

            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var task = new SimTask(
                Guid.NewGuid().ToString("D"), request.MediaType, request.Name, request.Tags, request.Variables,
                SimTask.Open, now, now, ClosedAt: null, ++_lastSeq);
            _openByMediaType[request.MediaType] = open + 1;
            Store(Guid.Parse(task.Id), task, previousSeq: null);
            return task;
        }
    }

    public SimTask? Get(Guid id)
    {
        lock (_lock)
        {
            ForgetExpired();
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Closes a task (idempotent) and frees its queue slot; <c>null</c> when unknown or already forgotten.</summary>
    public SimTask? Close(Guid id)
    {
        lock (_lock)
        {
            ForgetExpired();
            if (!_byId.TryGetValue(id, out var task))
            {
                return null;
            }

            if (!task.IsOpen)
            {
                return task;
            }

            var now = timeProvider.GetUtcNow();
            var nowMs = now.ToUnixTimeMilliseconds();
            var closed = task with { State = SimTask.Closed, UpdatedAt = nowMs, ClosedAt = nowMs, Seq = ++_lastSeq };
            _openByMediaType[task.MediaType]--;
            Store(id, closed, task.Seq);
            _closedInOrder.Enqueue((now, id));
            return closed;
        }
    }

    /// <summary>Tasks changed after <paramref name="fromSeq"/>, oldest change first, at most <see cref="PageSize"/>.</summary>
    public IReadOnlyList<SimTask> ChangedSince(long fromSeq)
    {
        lock (_lock)
        {
            ForgetExpired();
            return _bySeq.SkipWhile(e => e.Key <= fromSeq).Take(PageSize).Select(e => _byId[e.Value]).ToList();
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            // The sequence keeps counting so that cursors held by clients never see old numbers again.
            _byId.Clear();
            _bySeq.Clear();
            _closedInOrder.Clear();
            _openByMediaType.Clear();
        }
    }

    private void Store(Guid id, SimTask task, long? previousSeq)
    {
        if (previousSeq is { } seq)
        {
            _bySeq.Remove(seq);
        }

        _byId[id] = task;
        _bySeq[task.Seq] = id;
    }

    private void ForgetExpired()
    {
        var now = timeProvider.GetUtcNow();
        while (_closedInOrder.TryPeek(out var oldest) && oldest.ClosedAt + closedTaskRetention <= now)
        {
            _closedInOrder.Dequeue();
            if (_byId.Remove(oldest.Id, out var task))
            {
                _bySeq.Remove(task.Seq);
            }
        }
    }
}
