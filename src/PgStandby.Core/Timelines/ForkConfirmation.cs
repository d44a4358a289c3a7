using Microsoft.Extensions.Logging;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;

namespace PgStandby.Core.Timelines;

/// <summary>
/// Before a re-sync for a timeline fork, confirms it from sources no client controls: the standby's own pg_control
/// and replay position, against the primary's timeline and history over the replication protocol
/// (IDENTIFY_SYSTEM, TIMELINE_HISTORY). postgres's startup process reports a fork in its log, and the worker trusts
/// only that process's lines; this check is the second lock on a door that wipes the standby's replayed state.
/// </summary>
public sealed class ForkConfirmation(
    PostgresTools tools,
    IStandbyQueries queries,
    ResyncSignal resync,
    TimeProvider time,
    ILogger<ForkConfirmation> logger)
{
    /// <summary>Longest one confirmation may take (a primary that does not answer).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private int _checking;

    /// <summary>
    /// Starts a confirmation of what postgres reported unless one is under way (postgres repeats the line every few
    /// seconds while it cannot go on); a confirmed fork requests the re-sync. Never throws.
    /// </summary>
    public void Check(string postgresMessage)
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var limit = new CancellationTokenSource(Limit, time);
                var verdict = await JudgeAsync(limit.Token).ConfigureAwait(false);
                if (verdict.Forked)
                {
                    resync.Request($"the primary's timeline forked before this standby's position: {verdict.Why} (postgres: {postgresMessage})");
                }
                else
                {
                    Log.ForkNotConfirmed(logger, postgresMessage, verdict.Why);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
            {
                Log.ForkNotConfirmed(logger, postgresMessage, "the check did not finish: " + exception.Message);
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        });
    }

    /// <summary>The standby's newest known timeline and furthest known position, against the primary's history.</summary>
    public async Task<ForkVerdict> JudgeAsync(CancellationToken cancellationToken)
    {
        var primary = await queries.PrimaryTimelineAsync(cancellationToken).ConfigureAwait(false);
        if (primary.Timeline is not { } primaryTimeline)
        {
            return new ForkVerdict(false, "the primary's timeline cannot be read: " + primary.Problem);
        }

        var control = await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false);
        var position = await queries.ReplayPositionAsync(cancellationToken).ConfigureAwait(false);

        // pg_control is written at restartpoints: the replay position and the WAL receiver's timeline are newer.
        int[] timelines = [control?.CheckpointTimeline ?? 0, control?.MinRecoveryTimeline ?? 0, position?.ReceivedTimeline ?? 0];
        ulong[] positions = [control?.CheckpointLocation ?? 0, control?.MinRecoveryPoint ?? 0, position?.ReplayedLsn ?? 0];
        var standbyTimeline = timelines.Max();
        return standbyTimeline == 0
            ? new ForkVerdict(false, "neither pg_control nor postgres tells the standby's timeline")
            : ForkVerdict.Judge(standbyTimeline, positions.Max(), primaryTimeline, primary.History);
    }
}
