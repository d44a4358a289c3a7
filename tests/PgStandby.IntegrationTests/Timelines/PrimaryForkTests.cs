using System.Diagnostics;
using System.Globalization;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The primary is restored to an earlier point and promoted while the standby runs: the standby has
/// replayed past the fork, so postgres can never follow the new timeline and the worker must re-sync.
/// Both tests fork the same primary, in either order: timelines are counted from where each one starts.
/// </summary>
[Collection(PrimaryForkDefinition.Name)]
public sealed class PrimaryForkTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task StandbyPastTheFork_PrimaryRestoredToEarlierPointAndPromoted_ResyncsByItselfAndStreamsTheNewTimeline()
    {
        var primary = world.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("fork");
        var (kept, old) = await ForkAsync(standby, "before", takeBackupPastTheFork: false, clock);

        await primary.BackupAsync();
        output.WriteLine($"{clock.Elapsed:mm\\:ss} backup on timeline {old + 1} done");
        await standby.WaitForLogAsync("Re-syncing the standby", Long);
        await standby.WaitForProbeAsync(kept, Long);
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
        var primary = world.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("fork-backup");

        // The backup taken below (retention 2) can expire the older one a re-sync just restored, and with it the WAL
        // that standby needs to become consistent: the bound on starting_postgres must hand it to the gap logic.
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var (kept, old) = await ForkAsync(standby, "before-backup", takeBackupPastTheFork: true, clock);
        var unusable = (await world.BackupLabelsAsync())[^1];

        // 45 s without a usable backup (one re-sync cycle takes a few seconds here): what the worker does meanwhile is what an operator sees.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        // A worker that says it waits for a newer backup has decided: no need to watch longer.
        while (DateTime.UtcNow < until && standby.CountLog("Starting a delta restore of backup " + unusable) < 2 && standby.State != "waiting_for_backup")
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var attempts = standby.CountLog("Starting a delta restore of backup " + unusable);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} delta restores of {unusable} (old timeline, past the fork) so far: {attempts}; state {standby.State}");
        WriteMilestones(standby);

        await primary.BackupAsync();
        output.WriteLine($"{clock.Elapsed:mm\\:ss} backup on timeline {old + 1} done");
        await standby.WaitForProbeAsync(kept, Long);
        await AssertStreamsNewTimelineAsync(standby, old, clock);
        Assert.True(attempts <= 1, $"the worker restored backup {unusable}, which is past the fork on timeline {old}, {attempts} times in 45 s:\n{standby.Output}");
    }

    /// <summary>
    /// Starts <paramref name="standby"/> streaming, writes kept rows, a restore point, then lost rows the
    /// standby replays; restores the primary to the restore point and promotes it. Returns the kept
    /// fingerprint and the timeline the standby was on.
    /// </summary>
    private async Task<(string Kept, int OldTimeline)> ForkAsync(StandbyProcess standby, string point, bool takeBackupPastTheFork, Stopwatch clock)
    {
        var primary = world.Primary;
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var old = await world.TimelineAsync();
        var olderBackup = (await world.BackupLabelsAsync())[^1];

        var kept = await primary.WriteProbeRowsAsync("kept-" + point);
        await primary.SqlAsync($"SELECT pg_create_restore_point('{point}')");
        var lost = await primary.WriteProbeRowsAsync("lost-" + point);
        await standby.WaitForProbeAsync(lost, TimeSpan.FromMinutes(1));
        if (takeBackupPastTheFork)
        {
            await primary.BackupAsync();
        }

        // The restore point must be in the archive for the point-in-time restore to reach it.
        await world.WaitArchivedAsync(await world.SwitchWalAsync(), TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} standby streaming on timeline {old}, replayed {await standby.ScalarAsync("SELECT pg_last_wal_replay_lsn()")} (past '{point}'); restoring the primary to '{point}'");

        try
        {
            await world.RestoreToRestorePointAsync(point, takeBackupPastTheFork ? olderBackup : null);
        }
        finally
        {
            await primary.EnsurePrimaryRunningAsync();
        }

        Assert.Equal(kept, await primary.ProbeFingerprintAsync());
        Assert.Equal(old + 1, await world.TimelineAsync());
        await world.WaitArchivedAsync($"{old + 1:X8}.history", TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} primary promoted on timeline {old + 1}, history archived");
        return (kept, old);
    }

    /// <summary>The standby re-synced and streams the new timeline, holding exactly the primary's rows.</summary>
    private async Task AssertStreamsNewTimelineAsync(StandbyProcess standby, int old, Stopwatch clock)
    {
        var primary = world.Primary;
        var after = await primary.WriteProbeRowsAsync("after-fork-" + standby.Name);
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(1));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming on timeline {old + 1}");

        WriteMilestones(standby);
        Assert.Equal((old + 1).ToString(CultureInfo.InvariantCulture), await standby.ScalarAsync("SELECT received_tli FROM pg_stat_wal_receiver"));
        Assert.Equal("streaming", await primary.SqlAsync($"SELECT state FROM pg_stat_replication WHERE application_name = '{standby.Name}'"));
        // The worker's own comparison, whether postgres reported the fork first or the stream's reconnection found it.
        Assert.Contains($"the primary's timeline {old + 1} left timeline {old} at", standby.Output, StringComparison.Ordinal);
        Assert.Contains("State resyncing: the primary's timeline forked before this standby's position", standby.Output, StringComparison.Ordinal);
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
        Assert.False(standby.HasExited);
        Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
        Assert.Equal("0", await standby.ScalarAsync("SELECT count(*) FROM probe WHERE note LIKE 'lost-%'"));
    }

    /// <summary>The worker's lines an operator would read to follow the fork, in the test's output.</summary>
    private void WriteMilestones(StandbyProcess standby)
    {
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("timeline", StringComparison.Ordinal) || l.Contains("State ", StringComparison.Ordinal) || l.Contains("restore of backup", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }
}
