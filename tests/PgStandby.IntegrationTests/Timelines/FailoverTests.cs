using System.Diagnostics;
using System.Globalization;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// The primary fails over: a second node, a standby of the same primary, is promoted to timeline 2 and
/// archives to the same stanza. The standby under test was not ahead of the fork, so it follows the new
/// timeline through the archive (recovery_target_timeline = latest) without a re-sync.
/// </summary>
[Collection(FailoverDefinition.Name)]
public sealed class FailoverTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task PrimaryFailedOverToPromotedNode_StandbyFollowsTheNewTimelineThroughTheArchiveThenStreamsFromTheNewPrimary()
    {
        var primary = world.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("follower");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await using var node = await SecondNode.StartAsync(primary, "node-b");
        await standby.WaitForStateAsync("streaming", Long);
        await Eventually.ThatAsync(
            async () => await primary.SqlAsync("SELECT count(*) FROM pg_stat_replication WHERE application_name = 'node-b' AND state = 'streaming'") == "1",
            Long,
            () => "node B never streamed from the primary; its log:\n" + ReadLog(node));
        var before = await primary.WriteProbeRowsAsync("before-failover");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));
        await Eventually.ThatAsync(async () => await node.SqlAsync(ProbeTable.FingerprintSql) == before, TimeSpan.FromMinutes(1), () => "node B never caught up");
        output.WriteLine($"{clock.Elapsed:mm\\:ss} the standby and node B (port {node.Port}) stream from the primary; failing over to node B");

        // The old primary's fast shutdown sends its last WAL (the shutdown checkpoint) to both standbys.
        await primary.StopPrimaryAsync();
        await node.PromoteAsync();
        await Eventually.ThatAsync(async () => await node.SqlAsync("SELECT pg_is_in_recovery()") == "f", TimeSpan.FromMinutes(1), () => "node B never promoted");
        Assert.StartsWith("00000002", await node.SqlAsync("SELECT pg_walfile_name(pg_current_wal_lsn())"), StringComparison.Ordinal);
        await world.WaitArchivedAsync("00000002.history", TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} node B promoted on timeline 2, history archived");

        // Rows written on the new primary reach the standby once the segment holding them is archived.
        await node.SqlAsync(ProbeTable.InsertSql("on-node-b", 100));
        var segment = await node.SqlAsync("SELECT pg_walfile_name(pg_switch_wal())");
        await world.WaitArchivedAsync(segment, TimeSpan.FromMinutes(1));
        var onNode = await node.SqlAsync(ProbeTable.FingerprintSql);
        await standby.WaitForProbeAsync(onNode, Long);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} rows of node B (segment {segment}) replayed from the archive");
        Assert.Equal("catching_up_from_archive", standby.State);
        WriteMilestones(standby);
        Assert.Contains("new target timeline is 2", standby.Output, StringComparison.Ordinal);
        Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(0, standby.CountLog("forked off"));

        // Pointed at node B, the same PGDATA streams from it: no restore, no re-sync.
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        standby.Environment["PG_PRIMARY_PORT"] = node.Port.ToString(CultureInfo.InvariantCulture);
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        await node.SqlAsync(ProbeTable.InsertSql("streamed-from-node-b", 100));
        var streamed = await node.SqlAsync(ProbeTable.FingerprintSql);
        await standby.WaitForProbeAsync(streamed, TimeSpan.FromMinutes(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming from node B");

        WriteMilestones(standby);
        Assert.Equal(node.Port.ToString(CultureInfo.InvariantCulture), await standby.ScalarAsync("SELECT sender_port FROM pg_stat_wal_receiver"));
        Assert.Equal("2", await standby.ScalarAsync("SELECT received_tli FROM pg_stat_wal_receiver"));
        Assert.Equal("streaming", await node.SqlAsync($"SELECT state FROM pg_stat_replication WHERE application_name = '{standby.Name}'"));
        Assert.Contains("classified as StartExisting", standby.Output, StringComparison.Ordinal);
        Assert.Equal(0, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
        Assert.Equal(await node.SqlAsync(ProbeTable.FingerprintSql), await standby.ProbeFingerprintAsync());
    }

    private void WriteMilestones(StandbyProcess standby)
    {
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("State ", StringComparison.Ordinal) || l.Contains("timeline", StringComparison.Ordinal) || l.Contains("classified as", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }

    private static string ReadLog(SecondNode node) => File.Exists(node.LogFile) ? File.ReadAllText(node.LogFile) : "(no log)";
}
