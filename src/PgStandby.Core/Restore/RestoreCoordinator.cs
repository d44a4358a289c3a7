using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>
/// The RestoreService stage: makes PGDATA a complete standby of the stanza, or proves it already is one,
/// or refuses and touches nothing. Postgres is never started while a restore is unfinished.
/// </summary>
public sealed class RestoreCoordinator(
    RepositoryWaiter waiter,
    IBackupRestore restore,
    StandbyProcesses processes,
    StandbyMemory memory,
    DataDirectoryOwnership ownership,
    PostgresTools tools,
    LeftoverProcesses leftovers,
    AdoptedPostmaster adopted,
    NodeRole role,
    HealthState health,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<RestoreCoordinator> logger)
{
    public async Task EnsureStandbyAsync(CancellationToken cancellationToken)
    {
        var options = standby.Value;
        var running = RunningPostmaster.Find(options.DataDirectory);
        if (running is { OnThisDataDirectory: false } foreign)
        {
            throw processes.ForeignPostmaster(foreign.Pid);
        }

        // A killed worker's restore leaves pgbackrest writing into PGDATA: stopped. But while its postgres still runs
        // (adopted below) no restore can be running (pgBackRest refuses one beside a postmaster): every pgbackrest and
        // ssh of this standby then serves that postgres's restore_command, and stopping them stalls or crashes its
        // recovery (the startup process treats a killed restore_command as fatal).
        if (running is null)
        {
            await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: true, cancellationToken).ConfigureAwait(false);
        }

        await ownership.EnsureReadableAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var inspection = DataDirectoryInspection.Inspect(options.DataDirectory);
            var control = inspection.HasPgControl ? await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false) : null;
            var promotion = PromotionRecord.Load(options.StateDirectory);
            var plan = RestorePlanner.Plan(inspection, repository.Value.Stanza, memory.Identity, control?.SystemId, promotion);
            Log.RestorePlanned(logger, plan.Action.ToString(), plan.Reason);
            Activity.Current?.SetTag("pgstandby.restore.action", plan.Action.ToString());
            Activity.Current?.SetTag("pgstandby.restore.reason", plan.Reason);

            switch (plan.Action)
            {
                case RestoreAction.Refuse:
                    throw StandbyException.Refused(plan.Reason, plan.Fix);
                case RestoreAction.StartAsPrimary:
                    // Fenced from the old primary: no repository, no SSH, no archive-get; postgres starts without standby.signal.
                    role.BecomePrimary(promotion!);
                    health.SetPromotion(promotion!);
                    Log.StartingAsPrimary(logger, options.DataDirectory, promotion!.Describe());
                    if (running is { } primary)
                    {
                        adopted.Adopt(primary.Pid);
                        Log.PostmasterAdopted(logger, primary.Pid);
                    }

                    return;
                case RestoreAction.StartExisting when running is { } ours:
                    // The worker was restarted but its postgres was not: supervise that one, start no second.
                    adopted.Adopt(ours.Pid);
                    Log.PostmasterAdopted(logger, ours.Pid);
                    return;
                case RestoreAction.StartExisting:
                    return;
                case RestoreAction.VerifyWithRepository:
                    var known = await waiter.WaitForBackupAsync(cancellationToken).ConfigureAwait(false);
                    var verdict = RestorePlanner.Verify(inspection, repository.Value.Stanza, control!.SystemId, known);
                    Log.RestorePlanned(logger, verdict.Action.ToString(), verdict.Reason);
                    if (verdict.Action == RestoreAction.Refuse)
                    {
                        throw StandbyException.Refused(verdict.Reason, verdict.Fix);
                    }

                    memory.Remember(control.SystemId, inspection.PgVersion!);
                    if (running is { } unverified)
                    {
                        adopted.Adopt(unverified.Pid);
                        Log.PostmasterAdopted(logger, unverified.Pid);
                    }

                    return;
                default:
                    if (running is { } stale)
                    {
                        await leftovers.StopPostmasterAsync(stale.Pid, supervision.Value.StopTimeout, cancellationToken).ConfigureAwait(false);
                        running = null;
                    }

                    var info = await waiter.WaitForBackupAsync(cancellationToken).ConfigureAwait(false);
                    var delta = plan.Action == RestoreAction.DeltaRestore;

                    // An interrupted re-sync resumes from the backup it chose (before a fork, not the newest).
                    var interrupted = delta && memory.LastResync is { Finished: false } attempt ? attempt : null;
                    var reason = interrupted is not null ? $"resuming an interrupted re-sync from backup {interrupted.Backup} (--delta)"
                        : delta ? "resuming an interrupted restore (--delta)" : "restoring";
                    if (await restore.RestoreAsync(delta, info, interrupted?.Backup, StandbyState.Restoring, reason, cancellationToken).ConfigureAwait(false))
                    {
                        if (interrupted is not null)
                        {
                            memory.Remember(interrupted with { Finished = true });
                        }

                        return;
                    }

                    await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }
}
