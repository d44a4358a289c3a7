namespace PgStandby.Core.Restore;

/// <summary>
/// Adds up pgBackRest's per-file restore lines into a <see cref="RestoreProgress"/>. The total is estimated
/// from the bytes done and pgBackRest's own percentage (its sizes are rounded, so it is close, not exact).
/// </summary>
internal sealed class RestoreProgressTracker(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly long _started = time.GetTimestamp();
    private long _bytes;
    private double _percent;
    private int _files;

    /// <summary>True when <paramref name="line"/> was a per-file line (counted); false for any other line.</summary>
    public bool Observe(string line)
    {
        if (RestoreFileLine.Parse(line) is not { } file)
        {
            return false;
        }

        lock (_gate)
        {
            _bytes += file.Bytes;
            _percent = Math.Max(_percent, file.Percent);
            _files++;
        }

        return true;
    }

    public RestoreProgress Current
    {
        get
        {
            var elapsed = time.GetElapsedTime(_started);
            lock (_gate)
            {
                long? total = _percent > 0 ? (long)(_bytes * 100 / _percent) : null;
                var speed = elapsed > TimeSpan.Zero ? _bytes / elapsed.TotalSeconds : 0;
                TimeSpan? eta = total is { } all && speed > 0 ? TimeSpan.FromSeconds(Math.Max(0, all - _bytes) / speed) : null;
                return new RestoreProgress(_percent, _bytes, total, speed, eta, elapsed, _files);
            }
        }
    }
}
