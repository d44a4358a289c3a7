using System.Diagnostics;
using System.Globalization;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The fork the fork tests make, and what they check after it: the primary restored to a restore point the standby
/// has replayed past, then promoted; the standby re-synced, streaming the new timeline with exactly the kept rows.
/// </summary>
public abstract class PrimaryForkScenario(TimelineWorld world, ITestOutputHelper output)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    protected TimelineWorld World => world;

    protected ITestOutputHelper Output => output;

    /// <summary>Lets the standby into the repository before its first start (over SSH here).</summary>
    protected virtual Task AuthorizeAsync(StandbyProcess standby) => standby.PreAuthorizeAsync();

    /// <summary>
    /// Starts <paramref name="standby"/> streaming, writes kept rows, a restore point, then lost rows the
    /// standby replays; restores the primary to the restore point and promotes it. Returns the kept
    /// fingerprint and the timeline the standby was on.
    /// </summary>
    protected async Task<(string Kept, int OldTimeline)> ForkAsync(StandbyProcess standby, string point, bool takeBackupPastTheFork, Stopwatch clock)
    {
        var primary = world.Primary;
        await AuthorizeAsync(standby);
        standby.Start();
        await standby.WaitForStateAsync("streaming", Patience);
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
    protected async Task AssertStreamsNewTimelineAsync(StandbyProcess standby, int old, Stopwatch clock)
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
    protected void WriteMilestones(StandbyProcess standby)
    {
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("timeline", StringComparison.Ordinal) || l.Contains("State ", StringComparison.Ordinal) || l.Contains("restore of backup", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }
}
