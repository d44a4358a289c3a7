using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// Before a re-sync for a timeline fork, confirms it from sources no client controls: the standby's own pg_control
/// and replay position, against the primary's timeline and history over the replication protocol
/// (IDENTIFY_SYSTEM) and that timeline's history file in the archive (pgbackrest archive-get). postgres's startup process reports a fork in its log, and the worker trusts
/// only that process's lines; this check is the second lock on a door that wipes the standby's replayed state.
/// </summary>
public sealed class ForkConfirmation(
    PostgresTools tools,
    IStandbyQueries queries,
    ICommandRunner runner,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    ResyncSignal resync,
    TimeProvider time,
    ILogger<ForkConfirmation> logger)
{
    /// <summary>Longest one confirmation may take (a primary that does not answer).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly StreamReconnects _reconnects = new();
    private int _checking;
    private Task _current = Task.CompletedTask;

    /// <summary>Completes when no check is under way: postgres may exit on the fork it reported before the check ends.</summary>
    public Task SettledAsync(CancellationToken cancellationToken) => Volatile.Read(ref _current).WaitAsync(cancellationToken);

    /// <summary>
    /// Starts a confirmation of what postgres reported unless one is under way (postgres repeats the line every few
    /// seconds while it cannot go on); a confirmed fork requests the re-sync. Never throws.
    /// </summary>
    public void Check(string postgresMessage) => Start(
        verdict => Log.ForkNotConfirmed(logger, postgresMessage, verdict),
        $" (postgres: {postgresMessage})");

    /// <summary>
    /// Compares the primary's branch with the standby's when the stream (re)connects (told by the samples, see
    /// <see cref="StreamReconnects"/>), whatever postgres logs: a standby on another branch re-syncs.
    /// </summary>
    public void Observe(ReplicationSample sample)
    {
        if (_reconnects.Observe(sample) is { } trigger)
        {
            Start(verdict => Log.BranchChecked(logger, trigger, verdict), $" (found when {trigger})");
        }
    }

    private void Start(Action<string> notForked, string context)
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _current, Task.Run(async () =>
        {
            try
            {
                using var limit = new CancellationTokenSource(Limit, time);
                var verdict = await JudgeAsync(limit.Token).ConfigureAwait(false);
                if (verdict.Forked)
                {
                    resync.Request($"the primary's timeline forked before this standby's position: {verdict.Why}{context}", verdict.Branch);
                }
                else
                {
                    notForked(verdict.Why);
                }
            }
#pragma warning disable CA1031 // a check in the background must say why it failed, whatever the failure, and never end the worker
            catch (Exception exception)
#pragma warning restore CA1031
            {
                notForked($"the check did not finish: {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        }));
    }

    /// <summary>The standby's newest known timeline and furthest known position, against the primary's history.</summary>
    public async Task<ForkVerdict> JudgeAsync(CancellationToken cancellationToken)
    {
        var primary = await queries.PrimaryTimelineAsync(cancellationToken).ConfigureAwait(false);
        if (primary.Timeline is not { } primaryTimeline)
        {
            return new ForkVerdict(false, "the primary's timeline cannot be read: " + primary.Problem);
        }

        IReadOnlyList<TimelineSwitch> history = [];
        if (primaryTimeline > 1)
        {
            if (await ArchivedHistoryAsync(primaryTimeline, cancellationToken).ConfigureAwait(false) is not { } archived)
            {
                return new ForkVerdict(false, $"the history of the primary's timeline {primaryTimeline} is not in the archive");
            }

            history = archived;
        }

        var control = await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false);
        var position = await queries.ReplayPositionAsync(cancellationToken).ConfigureAwait(false);

        // pg_control is written at restartpoints: the replay position and the WAL receiver's timeline are newer.
        int[] timelines = [control?.CheckpointTimeline ?? 0, control?.MinRecoveryTimeline ?? 0, position?.ReceivedTimeline ?? 0];
        ulong[] positions = [control?.CheckpointLocation ?? 0, control?.MinRecoveryPoint ?? 0, position?.ReplayedLsn ?? 0];
        var standbyTimeline = timelines.Max();
        return standbyTimeline == 0
            ? new ForkVerdict(false, "neither pg_control nor postgres tells the standby's timeline")
            : ForkVerdict.Judge(standbyTimeline, positions.Max(), primaryTimeline, history) with { Branch = new PrimaryBranch(primaryTimeline, history) };
    }

    /// <summary>The archive's 0000000N.history, fetched as restore_command fetches it; null when it is not there.</summary>
    private async Task<IReadOnlyList<TimelineSwitch>?> ArchivedHistoryAsync(int timeline, CancellationToken cancellationToken)
    {
        var name = $"{timeline:X8}.history";
        var destination = Path.Combine(standby.Value.PgBackRestSpoolPath, "fork-check-" + name);
        try
        {
            var result = await runner.RunAsync(
                new CommandSpec("pgbackrest", [.. PostgresSettingsRenderer.ArchiveGetArguments(repository.Value, standby.Value), name, destination]),
                cancellationToken).ConfigureAwait(false);
            return result.Succeeded && SafeFile.ReadText(destination) is { } content ? TimelineHistory.Parse(content) : null;
        }
        finally
        {
            if (Path.Exists(destination))
            {
                File.Delete(destination); // a link planted there is removed itself, never its target
            }
        }
    }
}
