using System.Diagnostics;
using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The standby follows a failover to a new timeline; then the new primary is lost and the old one is
/// restored to a point on the OLD timeline (pgBackRest --target-timeline), before the failover. Its new
/// timeline descends from the old one, not from the timeline the standby is on: postgres cannot follow
/// it, and the worker must re-sync. The newest backup was taken after that point, on the branch the
/// primary abandoned: the worker re-syncs from the newest backup before the fork, without a new backup.
/// </summary>
[Collection(AncestorTimelineDefinition.Name)]
public sealed partial class AncestorTimelineTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task StandbyOnFailedOverTimeline_PrimaryRestoredOntoTheOlderTimeline_ResyncsByItselfAndStreams()
    {
        var primary = world.Primary;
        var clock = Stopwatch.StartNew();
        var old = await world.TimelineAsync();
        var olderBackup = (await world.BackupLabelsAsync())[^1];
        await using var standby = primary.NewStandby("ancestor");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await using var node = await SecondNode.StartAsync(primary, "node-ancestor");
        await standby.WaitForStateAsync("streaming", Long);
        await Eventually.ThatAsync(
            async () => await primary.SqlAsync($"SELECT count(*) FROM pg_stat_replication WHERE application_name = '{node.Name}' AND state = 'streaming'") == "1",
            Long,
            () => "the second node never streamed from the primary");

        var kept = await primary.WriteProbeRowsAsync("kept-older");
        await primary.SqlAsync("SELECT pg_create_restore_point('older')");
        var lost = await primary.WriteProbeRowsAsync("lost-after-older");

        // A backup past the fork point, on the branch the primary will abandon: the newest backup from now on.
        await primary.BackupAsync();
        var labels = await world.BackupLabelsAsync();
        Assert.NotEqual(olderBackup, labels[^1]);
        await standby.WaitForProbeAsync(lost, TimeSpan.FromMinutes(1));
        await Eventually.ThatAsync(async () => await node.SqlAsync(ProbeTable.FingerprintSql) == lost, TimeSpan.FromMinutes(1), () => "the second node never caught up");
        await world.WaitArchivedAsync(await world.SwitchWalAsync(), TimeSpan.FromMinutes(1));

        try
        {
            // Failover: the standby follows the promoted node's timeline through the archive.
            await primary.StopPrimaryAsync();
            await node.PromoteAsync();
            await Eventually.ThatAsync(async () => await node.SqlAsync("SELECT pg_is_in_recovery()") == "f", TimeSpan.FromMinutes(1), () => "the second node never promoted");
            await world.WaitArchivedAsync($"{old + 1:X8}.history", TimeSpan.FromMinutes(1));
            await node.SqlAsync(ProbeTable.InsertSql("on-promoted-node", 10));
            await world.WaitArchivedAsync(await node.SqlAsync("SELECT pg_walfile_name(pg_switch_wal())"), TimeSpan.FromMinutes(1));
            await standby.WaitForProbeAsync(await node.SqlAsync(ProbeTable.FingerprintSql), Long);
            Assert.Contains($"new target timeline is {old + 1}", standby.Output, StringComparison.Ordinal);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} the standby follows the promoted node on timeline {old + 1}; losing that node and restoring the old primary to 'older' on timeline {old}");

            await node.StopAsync();
            await world.RestoreToRestorePointAsync("older", olderBackup, targetTimeline: old);
        }
        finally
        {
            await primary.EnsurePrimaryRunningAsync();
        }

        Assert.Equal(kept, await primary.ProbeFingerprintAsync());
        Assert.Equal(old + 2, await world.TimelineAsync());
        await world.WaitArchivedAsync($"{old + 2:X8}.history", TimeSpan.FromMinutes(1));

        // A busy primary soon fills its first segment on the new timeline; this idle one is made to close it. Until it
        // is archived the worker waits: replayed from the backup before the fork, the standby would otherwise read
        // the old timeline's segment, the abandoned branch, past the fork point.
        await world.WaitArchivedAsync(await world.SwitchWalAsync(), TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} primary on timeline {old + 2} (a child of {old}, not of {old + 1}); no backup taken: the newest, {labels[^1]}, lies past the fork");

        try
        {
            // A fork is seen within seconds (PrimaryForkTests); a minute is plenty.
            await standby.WaitForLogAsync($"Re-syncing from backup {olderBackup}", TimeSpan.FromMinutes(1));
            await standby.WaitForProbeAsync(kept, Long);
            var after = await primary.WriteProbeRowsAsync("after-ancestor-fork");
            await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(1));
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming on timeline {old + 2}");
        }
        finally
        {
            output.WriteLine($"primary now at {await primary.SqlAsync("SELECT pg_current_wal_lsn()")} on timeline {await world.TimelineAsync()}");
            WriteMilestones(standby);
        }

        Assert.Equal(labels, await world.BackupLabelsAsync()); // no backup was taken for the standby's sake
        Assert.Contains($"--set={olderBackup}", standby.Output, StringComparison.Ordinal);
        Assert.Equal(0, standby.CountLog("did not help"));
        Assert.Equal(await primary.SqlAsync("SELECT count(*) FROM probe"), await standby.ScalarAsync("SELECT count(*) FROM probe"));
        Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
        Assert.False(standby.HasExited);
    }

    /// <summary>What postgres and the worker said about timelines, and the states, in the test's output.</summary>
    private void WriteMilestones(StandbyProcess standby)
    {
        if (standby.ReadStatus() is { } status)
        {
            output.WriteLine($"status now: {status.GetProperty("state")}, healthy {status.GetProperty("healthy")}, lag_bytes {status.GetProperty("lag_bytes")}, replayed {status.GetProperty("replayed_lsn")}: {status.GetProperty("reason")}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("timeline", StringComparison.Ordinal) || l.Contains("State ", StringComparison.Ordinal) || l.Contains("restore of backup", StringComparison.Ordinal)))
        {
            // postgres repeats its lines at every retry: each one once, told apart without timestamps and pids.
            if (seen.Add(Varying().Replace(line, string.Empty)))
            {
                output.WriteLine(line);
            }
        }
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\d[T ][0-9:.]+Z?( GMT)?|\[\d+\]")]
    private static partial Regex Varying();
}
