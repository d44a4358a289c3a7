namespace PgStandby.Core.Restore;

/// <summary>
/// Raised while running when the standby can only go on after a re-sync from a newer backup: the
/// primary's timeline forked before the standby's position (a restore to an earlier point, another
/// node promoted), or a WAL gap stalled replay. The supervisor stops postgres, re-syncs, restarts.
/// </summary>
public sealed class ResyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<string> _requested = New();

    /// <summary>Asks for a re-sync; the first reason wins until the supervisor takes it.</summary>
    public void Request(string reason)
    {
        lock (_gate)
        {
            _requested.TrySetResult(reason);
        }
    }

    /// <summary>Completes with the reason when a re-sync is requested.</summary>
    public Task<string> Requested
    {
        get
        {
            lock (_gate)
            {
                return _requested.Task;
            }
        }
    }

    /// <summary>Forgets a request once it has been acted on.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_requested.Task.IsCompleted)
            {
                _requested = New();
            }
        }
    }

    private static TaskCompletionSource<string> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
