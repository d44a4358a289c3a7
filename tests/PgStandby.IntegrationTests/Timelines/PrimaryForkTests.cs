using System.Diagnostics;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The primary is restored to an earlier point and promoted while the standby runs: the standby has
/// replayed past the fork, so postgres can never follow the new timeline and the worker must re-sync.
/// Both tests fork the same primary, in either order: timelines are counted from where each one starts.
/// </summary>
[Collection(PrimaryForkDefinition.Name)]
public sealed class PrimaryForkTests(TimelineWorld world, ITestOutputHelper output) : PrimaryForkScenario(world, output)
{
    [WorldFact]
    public async Task StandbyPastTheFork_PrimaryRestoredToEarlierPointAndPromoted_ResyncsByItselfAndStreamsTheNewTimeline()
    {
        var primary = World.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("fork");
        var (kept, old) = await ForkAsync(standby, "before", takeBackupPastTheFork: false, clock);

        await primary.BackupAsync();
        Output.WriteLine($"{clock.Elapsed:mm\\:ss} backup on timeline {old + 1} done");
        await standby.WaitForLogAsync("Re-syncing the standby", Patience);
        await standby.WaitForProbeAsync(kept, Patience);
        await AssertStreamsNewTimelineAsync(standby, old, clock);
        Assert.Equal(1, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(1, standby.CountLog("Starting a delta restore"));
    }

    /// <summary>
    /// The operator restored the primary from an older backup (--set) because the newest one is past the
    /// restore point: that newest backup is on the old timeline past the fork, and restoring it cannot
    /// follow the new timeline either (postgres: "requested timeline N is not a child of this server's
    /// history"). The worker must not restore it over and over: it re-syncs from the backup before the fork
    /// (once the primary's first segment after the fork is archived), or from a backup on the new timeline.
    /// </summary>
    [WorldFact]
    public async Task StandbyPastTheFork_NewestBackupAlsoPastTheFork_DoesNotRestoreThatBackupAgainAndAgain()
    {
        var primary = World.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("fork-backup");

        // The backup taken below (retention 2) can expire the older one a re-sync just restored, and with it the WAL
        // that standby needs to become consistent: the bound on starting_postgres must hand it to the gap logic.
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var (kept, old) = await ForkAsync(standby, "before-backup", takeBackupPastTheFork: true, clock);
        var unusable = (await World.BackupLabelsAsync())[^1];

        // 45 s without a usable backup (one re-sync cycle takes a few seconds here): what the worker does meanwhile is what an operator sees.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        // A worker that says it waits for a newer backup has decided: no need to watch longer.
        while (DateTime.UtcNow < until && standby.CountLog("Starting a delta restore of backup " + unusable) < 2 && standby.State != "waiting_for_backup")
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var attempts = standby.CountLog("Starting a delta restore of backup " + unusable);
        Output.WriteLine($"{clock.Elapsed:mm\\:ss} delta restores of {unusable} (old timeline, past the fork) so far: {attempts}; state {standby.State}");
        WriteMilestones(standby);

        await primary.BackupAsync();
        Output.WriteLine($"{clock.Elapsed:mm\\:ss} backup on timeline {old + 1} done");
        await standby.WaitForProbeAsync(kept, Patience);
        await AssertStreamsNewTimelineAsync(standby, old, clock);
        Assert.True(attempts <= 1, $"the worker restored backup {unusable}, which is past the fork on timeline {old}, {attempts} times in 45 s:\n{standby.Output}");
    }
}
