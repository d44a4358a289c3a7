using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Promotion;

/// <summary>
/// Turns a postgres found out of recovery into a recorded promotion: by <c>pgstandby promote</c> (its request is
/// pending) or by hand (a warning). From then on the node runs as a primary: settings without restore_command or
/// primary_conninfo, no pgBackRest of the old primary's repository left running, state <c>primary</c>.
/// </summary>
public sealed class PromotionRecorder(
    ILocalNode node,
    NodeRole role,
    HealthState health,
    FolderPreparer folders,
    ConfigRenderer renderer,
    LeftoverProcesses leftovers,
    IOptions<StandbyOptions> standby,
    IOptions<ReplicationOptions> replication,
    TimeProvider time,
    ILogger<PromotionRecorder> logger) : IPromotionRecorder
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string OldPrimary => replication.Value.PrimaryAddress;

    /// <summary>postgres answers out of recovery: asks it what it became. False when it does not answer (the next sample tries again).</summary>
    public async Task<bool> RecordAsync(CancellationToken cancellationToken)
    {
        if (role.IsPrimary)
        {
            return true;
        }

        if (await node.FactsAsync(cancellationToken).ConfigureAwait(false) is not { InRecovery: false, Timeline: { } timeline } facts)
        {
            return false;
        }

        await BecomePrimaryAsync(facts.SystemId, timeline, facts.ReplayedLsn, cancellationToken).ConfigureAwait(false);
        await node.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// PGDATA, about to be started again, was promoted while this worker supervised it (no standby.signal, pg_control
    /// out of recovery): recorded from pg_control, so the restart starts a primary rather than a standby of nothing.
    /// </summary>
    public Task RecordFromControlAsync(ControlData control, CancellationToken cancellationToken) =>
        BecomePrimaryAsync(control.SystemId, control.CheckpointTimeline ?? 0, null, cancellationToken);

    /// <summary>Whether pg_control and PGDATA show a node promoted since the worker last wrote standby.signal.</summary>
    public static bool LooksPromoted(ControlData? control, string dataDirectory) =>
        control is { ClusterState: "in production" or "shut down" or "shutting down" }
        && !File.Exists(Path.Combine(dataDirectory, "standby.signal"))
        && !File.Exists(Path.Combine(dataDirectory, "backup.manifest"))
        && !File.Exists(Path.Combine(dataDirectory, "backup_label"));

    private async Task BecomePrimaryAsync(ulong systemId, int timeline, string? replayedLsn, CancellationToken cancellationToken)
    {
        var options = standby.Value;
        var now = time.GetUtcNow();
        var byCommand = PromotionRequest.IsPending(options.StateDirectory, now);
        var record = new PromotionRecord(
            systemId,
            timeline,
            PreviousTimeline(options.DataDirectory, timeline),
            now,
            OldPrimary,
            byCommand ? PromotionRecord.ByCommand : PromotionRecord.ByHand,
            replayedLsn);

        folders.EnsureFolder(options.StateDirectory, OwnerReadWrite | UnixFileMode.UserExecute);
        folders.WriteOwnedFile(PromotionRecord.PathIn(options.StateDirectory), record.ToJson(), OwnerReadWrite);
        PromotionRequest.Clear(options.StateDirectory);
        role.BecomePrimary(record);
        if (!byCommand)
        {
            Log.PromotedByHand(logger);
        }

        Log.PromotionRecorded(logger, record.Describe());

        // Fencing: the asynchronous archive-get of the old primary's repository runs detached from postgres.
        await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, cancellationToken).ConfigureAwait(false);
        renderer.PrepareDataDirectory();
        health.SetPromotion(record);
        var (reason, nextStep) = PrimaryStatus.Describe(record, oldPrimaryWritable: false, OldPrimary);
        health.Set(StandbyState.Primary, reason, nextStep);
    }

    /// <summary>The timeline this one branched from, read from its history file in pg_wal.</summary>
    private static int? PreviousTimeline(string dataDirectory, int timeline)
    {
        var name = timeline.ToString("X8", CultureInfo.InvariantCulture) + ".history";
        try
        {
            return SafeFile.ReadText(Path.Combine(dataDirectory, "pg_wal", name)) is { } content
                && TimelineHistory.Parse(content) is { Count: > 0 } switches
                ? switches[^1].Parent
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
