namespace EdgeProxy.Operations;

/// <summary>
/// A <see cref="LogRateBound"/> with its summary line: what was suppressed is reported before the next line
/// let through, or one second after the first suppressed line when nothing follows, so a flood that stops
/// is still accounted for.
/// </summary>
public sealed class RateBoundLog : IDisposable
{
    private readonly LogRateBound _bound;
    private readonly Action<long, TimeSpan> _writeSuppressed;
    private readonly ITimer _summary;
    private int _summaryArmed;

    /// <param name="writeSuppressed">Writes the summary: how many lines were left out, over how long.</param>
    public RateBoundLog(int perSecond, TimeProvider time, Action<long, TimeSpan> writeSuppressed)
    {
        _bound = new LogRateBound(perSecond, time);
        _writeSuppressed = writeSuppressed;
        _summary = time.CreateTimer(_ => WriteSuppressed(fromTimer: true), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True when the caller may write its line (any summary has been written first); false when the line is suppressed.</summary>
    public bool TryTake()
    {
        if (!_bound.TryTake())
        {
            if (Interlocked.Exchange(ref _summaryArmed, 1) == 0)
            {
                _summary.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }

            return false;
        }

        WriteSuppressed(fromTimer: false);
        return true;
    }

    public void Dispose() => _summary.Dispose();

    private void WriteSuppressed(bool fromTimer)
    {
        if (fromTimer)
        {
            Volatile.Write(ref _summaryArmed, 0);
        }

        if (_bound.TryTakeSuppressed(out var count, out var over))
        {
            _writeSuppressed(count, over);
        }
    }
}
