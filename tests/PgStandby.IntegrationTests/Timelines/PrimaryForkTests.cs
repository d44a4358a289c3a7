using System.Diagnostics;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The primary is restored to an earlier point and promoted while the standby runs: the standby has
/// replayed past the fork, so postgres can never follow the new timeline and the worker must re-sync.
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
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        var kept = await primary.WriteProbeRowsAsync("kept");
        await primary.SqlAsync("SELECT pg_create_restore_point('before')");
        var lost = await primary.WriteProbeRowsAsync("lost");
        await standby.WaitForProbeAsync(lost, TimeSpan.FromMinutes(1));
        // The restore point must be in the archive for the point-in-time restore to reach it.
        await world.WaitArchivedAsync(await world.SwitchWalAsync(), TimeSpan.FromMinutes(1));
        var ahead = await standby.ScalarAsync("SELECT pg_last_wal_replay_lsn()");
        output.WriteLine($"{clock.Elapsed:mm\\:ss} standby streaming, replayed {ahead} (past 'before'); restoring the primary to 'before'");

        try
        {
            await world.RestoreToRestorePointAsync("before");
        }
        finally
        {
            await primary.EnsurePrimaryRunningAsync();
        }

        Assert.Equal(kept, await primary.ProbeFingerprintAsync());
        Assert.Equal(2, await world.TimelineAsync());
        await world.WaitArchivedAsync("00000002.history", TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} primary promoted on timeline 2, history archived; taking a full backup on timeline 2");
        await primary.BackupAsync();
        output.WriteLine($"{clock.Elapsed:mm\\:ss} backup on timeline 2 done");

        await standby.WaitForLogAsync("Re-syncing the standby", Long);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} re-sync started");
        await standby.WaitForProbeAsync(kept, Long);
        var after = await primary.WriteProbeRowsAsync("after-fork");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(1));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming on the new timeline");

        WriteMilestones(standby);
        Assert.Equal("2", await standby.ScalarAsync("SELECT received_tli FROM pg_stat_wal_receiver"));
        Assert.Equal("streaming", await primary.SqlAsync("SELECT state FROM pg_stat_replication WHERE application_name = 'fork'"));
        Assert.Contains("forked off current database system timeline 1", standby.Output, StringComparison.Ordinal);
        Assert.Contains("State resyncing: the primary's timeline forked before this standby's position", standby.Output, StringComparison.Ordinal);
        Assert.Equal(1, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(1, standby.CountLog("Starting a delta restore"));
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
        Assert.False(standby.HasExited);
        Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
        Assert.Equal("0", await standby.ScalarAsync("SELECT count(*) FROM probe WHERE note LIKE 'lost-%'"));
    }

    /// <summary>The worker's lines an operator would read to follow the fork, in the test's output.</summary>
    private void WriteMilestones(StandbyProcess standby)
    {
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("forked off", StringComparison.Ordinal) || l.Contains("State ", StringComparison.Ordinal) || l.Contains("restore of backup", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }
}
