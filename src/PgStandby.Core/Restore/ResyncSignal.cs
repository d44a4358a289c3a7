using PgStandby.Core.Timelines;
using PgStandby.Core.Concurrency;

namespace PgStandby.Core.Restore;

/// <summary>
/// Raised while running when the standby can only go on after a re-sync from a newer backup: the
/// primary's timeline forked before the standby's position (a restore to an earlier point, another
/// node promoted), or a WAL gap stalled replay. The supervisor stops postgres, re-syncs, restarts.
/// </summary>
public sealed class ResyncSignal
{
    private readonly Lock _gate = new();
    private readonly Latch<string> _requested = new();
    private PrimaryBranch? _branch;

    /// <summary>Asks for a re-sync; the first reason (and branch) wins until the supervisor takes it.</summary>
    /// <param name="branch">For a fork: the primary's branch, which the backup restored must lie on.</param>
    public void Request(string reason, PrimaryBranch? branch = null)
    {
        lock (_gate)
        {
            if (!_requested.Task.IsCompleted)
            {
                _branch = branch;
                _requested.Set(reason);
            }
        }
    }

    /// <summary>Completes with the reason when a re-sync is requested.</summary>
    public Task<string> Requested => _requested.Task;

    /// <summary>The primary's branch that came with the pending request, if any.</summary>
    public PrimaryBranch? Branch
    {
        get
        {
            lock (_gate)
            {
                return _branch;
            }
        }
    }

    /// <summary>Forgets a request once it has been acted on.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _branch = null;
            _requested.Reset();
        }
    }
}
