using PgStandby.Core.Pipeline;

namespace PgStandby.Core.Restore;

/// <summary>
/// Raised while running when the standby can only go on after a re-sync from a newer backup: the
/// primary's timeline forked before the standby's position (a restore to an earlier point, another
/// node promoted), or a WAL gap stalled replay. The supervisor stops postgres, re-syncs, restarts.
/// </summary>
public sealed class ResyncSignal
{
    private readonly Latch<string> _requested = new();

    /// <summary>Asks for a re-sync; the first reason wins until the supervisor takes it.</summary>
    public void Request(string reason) => _requested.Set(reason);

    /// <summary>Completes with the reason when a re-sync is requested.</summary>
    public Task<string> Requested => _requested.Task;

    /// <summary>Forgets a request once it has been acted on.</summary>
    public void Reset() => _requested.Reset();
}
