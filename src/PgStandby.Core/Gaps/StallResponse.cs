using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;

namespace PgStandby.Core.Gaps;

/// <summary>
/// What the worker does about a stalled replay: an expired gap (gone from the archive and from the primary for
/// good) re-syncs from the newest backup by default; a segment the primary has not archived yet is waited for;
/// anything else is left to PGSTANDBY_RESYNC_ON_GAP.
/// </summary>
public sealed class StallResponse(
    GapInspector inspector,
    ResyncSignal resync,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<StallResponse> logger)
{
    /// <summary>How often a stall that does not move is inspected again (the archive may catch up, the primary may come back).</summary>
    public static readonly TimeSpan InspectEvery = TimeSpan.FromMinutes(1);

    private string? _position;
    private DateTimeOffset _inspectedAt;
    private GapVerdict? _verdict;

    /// <summary>Replay moves again: the next stall is inspected afresh.</summary>
    public void Reset()
    {
        _position = null;
        _verdict = null;
    }

    public async Task<(StandbyState State, string Reason, string NextStep)> RespondAsync(ReplicationSample sample, TimeSpan stuck, CancellationToken cancellationToken)
    {
        var verdict = await VerdictAsync(sample, stuck, cancellationToken).ConfigureAwait(false);
        var ahead = sample.LagAgainstArchive
            ? $"the archive's newest WAL ({sample.ArchiveNewest}) is {sample.LagBytes} bytes ahead (the primary's position cannot be asked)"
            : $"the primary is {sample.LagBytes} bytes ahead";
        var stalled = $"replay has not advanced from {sample.ReplayedLsn} for {stuck.TotalSeconds:0} s while {ahead} and streaming is unavailable";
        switch (verdict.Kind)
        {
            case GapKind.Expired:
                var reason = $"{stalled}: an expired WAL gap ({verdict.Why}): re-syncing from the newest backup";
                resync.Request(reason);
                return (StandbyState.Stalled, reason, "none: the standby re-syncs from the newest backup by itself (an expired gap never heals)");
            case GapKind.ArchiveBehind:
                return (StandbyState.Stalled, $"{stalled}: the primary's archiving is behind ({verdict.Why}); waiting for it",
                    "check archiving on the primary (pg_stat_archiver, archive_command errors in its log, the repository's disk); the standby goes on by itself once the segment is archived");
            default:
                var unknown = $"{stalled}: a WAL segment is probably missing from the archive ({verdict.Why})";
                if (supervision.Value.ResyncOnGap)
                {
                    resync.Request(unknown);
                    return (StandbyState.Stalled, unknown, "none: PGSTANDBY_RESYNC_ON_GAP=true, the standby re-syncs from the newest backup by itself");
                }

                return (StandbyState.Stalled, unknown, "restore streaming (so the primary sends the missing WAL), or take a new backup on the primary and run pgstandby reinit --yes, or set PGSTANDBY_RESYNC_ON_GAP=true");
        }
    }

    private async Task<GapVerdict> VerdictAsync(ReplicationSample sample, TimeSpan stuck, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_verdict is { } known && _position == sample.ReplayedLsn && now - _inspectedAt < InspectEvery)
        {
            return known;
        }

        GapVerdict verdict;
        try
        {
            verdict = await inspector.InspectAsync(sample, now - stuck, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // an inspection that fails leaves the gap unknown: PGSTANDBY_RESYNC_ON_GAP decides, as before
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            verdict = new GapVerdict(GapKind.Unknown, $"the gap could not be inspected: {exception.GetType().Name}: {exception.Message}");
        }

        if (_verdict != verdict)
        {
            Log.GapClassified(logger, verdict.Kind.ToString(), verdict.Why);
        }

        (_verdict, _position, _inspectedAt) = (verdict, sample.ReplayedLsn, now);
        return verdict;
    }
}
