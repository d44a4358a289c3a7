using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// One WAL segment the stopped standby needs is missing from the archive and already recycled on the
/// primary: replay stops at the gap while the primary is ahead. Each test makes its own gap, takes a
/// backup past it, and puts the segment back at the end.
/// </summary>
[Collection(WalGapDefinition.Name)]
public sealed class WalGapTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private const string MissingSegment = "a WAL segment is probably missing from the archive";

    [WorldFact]
    public async Task SegmentMissingFromArchive_ResyncOnGap_StallsThenResyncsFromNewestBackupAndStreams()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("gap-resync");
        standby.Environment["PGSTANDBY_RESYNC_ON_GAP"] = "true";
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var clock = Stopwatch.StartNew();
        var gap = await MakeGapAsync(standby, clock);
        try
        {
            standby.Start();
            await standby.WaitForLogAsync("State stalled:", Long);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} stalled");
            await standby.WaitForLogAsync("Re-syncing the standby", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} re-sync started");
            var expected = await primary.WriteProbeRowsAsync("after-gap");
            await standby.WaitForProbeAsync(expected, Long);
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming after the re-sync");

            WriteMilestones(standby);
            Assert.Contains(MissingSegment, standby.Output, StringComparison.Ordinal);
            Assert.Contains("State resyncing: replay has not advanced", standby.Output, StringComparison.Ordinal);
            Assert.Equal(1, standby.CountLog("Re-syncing the standby"));
            Assert.Equal(1, standby.CountLog("Starting a delta restore"));
            Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
            Assert.False(standby.HasExited);
            Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
        }
        finally
        {
            gap.PutBack();
        }
    }

    [WorldFact]
    public async Task SegmentMissingFromArchive_NoResyncOnGap_StallsSaysWhyAndNeverRestoresThenResumesWhenTheSegmentIsBack()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("gap-stall");
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var clock = Stopwatch.StartNew();
        var gap = await MakeGapAsync(standby, clock);
        try
        {
            standby.Start();
            await standby.WaitForStateAsync("stalled", Long);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} stalled");
            var status = standby.ReadStatus()!.Value;
            Assert.Contains(MissingSegment, status.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("PGSTANDBY_RESYNC_ON_GAP=true", status.GetProperty("next_step").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode); // an alert, not a reason to kill
            Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);

            // Twice the stall timeout: the worker must stay stalled and leave PGDATA alone.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < until)
            {
                Assert.Equal("stalled", standby.State);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
            Assert.Equal(0, standby.CountLog("restore of backup"));

            // The segment is back in the archive: replay goes on by itself, then streams.
            gap.PutBack();
            output.WriteLine($"{clock.Elapsed:mm\\:ss} segment {gap.Segment} put back");
            var expected = await primary.WriteProbeRowsAsync("after-gap-healed");
            await standby.WaitForProbeAsync(expected, Long);
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming");

            WriteMilestones(standby);
            Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
            Assert.Equal(0, standby.CountLog("restore of backup"));
            Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
            Assert.False(standby.HasExited);
            Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
        }
        finally
        {
            gap.PutBack();
        }
    }

    /// <summary>
    /// PGSTANDBY_RESYNC_ON_GAP=true but no backup is newer than the gap: a re-sync restores a backup that
    /// replays into the same gap. The worker must not re-sync from that same backup again and again (each
    /// pass rewrites PGDATA and leaves the standby unreadable); it goes on once the segment is back and a
    /// newer backup exists.
    /// </summary>
    [WorldFact]
    public async Task SegmentMissingFromArchive_ResyncOnGapButNoNewerBackup_DoesNotRestoreTheSameBackupAgainAndAgain()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("gap-no-backup");
        standby.Environment["PGSTANDBY_RESYNC_ON_GAP"] = "true";
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var clock = Stopwatch.StartNew();
        var gap = await MakeGapAsync(standby, clock, backupPastTheGap: false);
        try
        {
            standby.Start();
            // With PGSTANDBY_RESYNC_ON_GAP the state stalled lasts a moment only (the re-sync starts at once): read the log.
            await standby.WaitForLogAsync("State stalled:", Long);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} stalled");

            // 45 s with no backup past the gap (a stall and a re-sync take about 25 s here): at most one re-sync can be worth it.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            // A worker that says it waits for a newer backup has decided: no need to watch longer.
            while (DateTime.UtcNow < until && standby.CountLog("Starting a delta restore") < 2 && standby.State != "waiting_for_backup")
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var resyncs = standby.CountLog("Starting a delta restore");
            output.WriteLine($"{clock.Elapsed:mm\\:ss} delta restores of the backup before the gap: {resyncs}; state {standby.State}");

            // What the operator does: the segment back in the archive, and a new backup (what a worker
            // waiting for a backup asks for); either lets the standby go on.
            gap.PutBack();
            await primary.BackupAsync();
            var expected = await primary.WriteProbeRowsAsync("after-gap-no-backup");
            await standby.WaitForProbeAsync(expected, Long);
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming once the segment is back and a new backup exists");

            WriteMilestones(standby);
            Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
            Assert.True(resyncs <= 1, $"with no backup past the gap the worker re-synced {resyncs} times in 45 s, each time from the same backup:\n{standby.Output}");
        }
        finally
        {
            gap.PutBack();
        }
    }

    /// <summary>
    /// No replication login (the primary's position cannot be asked): the standby stuck at the gap is measured against
    /// the archive's newest WAL instead, shows that lag in bytes, turns stalled after PGSTANDBY_STALL_TIMEOUT with the
    /// gap logic's verdict (a segment probably missing: waited, PGDATA left alone), and goes on once the segment is back.
    /// </summary>
    [WorldFact]
    public async Task SegmentMissingFromArchive_StreamingRefused_LagAgainstTheArchiveThenStalledThenResumesWhenTheSegmentIsBack()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("gap-archive-only");
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        var clock = Stopwatch.StartNew();
        var gap = await MakeGapAsync(standby, clock, backupPastTheGap: false);
        try
        {
            var newestAtStart = world.NewestArchivedSegment()!;
            var segmentBytes = long.Parse(await primary.SqlAsync("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"), CultureInfo.InvariantCulture);
            standby.Environment["PG_REPLICATION_PASSWORD"] = "not-the-password";
            standby.Start();
            await standby.WaitForStateAsync("stalled", Long);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} stalled; the archive held up to {newestAtStart} when the standby started");

            // Measured against the archive: from the start of the missing segment to the end of the archive's newest, at least.
            var status = standby.ReadStatus()!.Value;
            var reason = status.GetProperty("reason").GetString()!;
            var lag = status.GetProperty("lag_bytes").GetInt64();
            var atLeast = (SegmentNumber(newestAtStart, segmentBytes) - SegmentNumber(gap.Segment, segmentBytes) + 1) * segmentBytes;
            Assert.Equal("archive", status.GetProperty("lag_against").GetString());
            Assert.True(lag >= atLeast && lag % segmentBytes == 0, $"lag_bytes {lag}: expected a whole number of segments, at least {atLeast} (from {gap.Segment} to the end of {newestAtStart})");
            Assert.Equal(LsnOf(gap.Segment, segmentBytes), status.GetProperty("replayed_lsn").GetString());
            Assert.Contains("so the lag is measured against the archive's newest WAL", standby.Output, StringComparison.Ordinal);
            Assert.Contains($"is {lag} bytes ahead (the primary's position cannot be asked) and streaming is unavailable: {MissingSegment} (segment {gap.Segment} is not in the archive but is not older than the oldest backup's WAL start", reason, StringComparison.Ordinal);
            Assert.Contains("PGSTANDBY_RESYNC_ON_GAP=true", status.GetProperty("next_step").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode); // an alert, not a reason to kill
            Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);
            Assert.Contains("(against the archive's newest WAL", (await standby.RunVerbAsync("status")).StandardOutput, StringComparison.Ordinal);

            // The segment is back: replay goes on, and once it has replayed what the archive holds the lag against it is 0.
            gap.PutBack();
            var expected = await primary.WriteProbeRowsAsync("after-gap-archive-only");
            await world.SwitchWalAsync();
            await standby.WaitForProbeAsync(expected, Long);
            await Eventually.ThatAsync(
                () => Task.FromResult(standby.ReadStatus() is { } s
                    && s.GetProperty("state").GetString() == "catching_up_from_archive"
                    && s.GetProperty("lag_bytes").ValueKind == JsonValueKind.Number && s.GetProperty("lag_bytes").GetInt64() == 0
                    && s.GetProperty("lag_against").GetString() == "archive"),
                TimeSpan.FromMinutes(2),
                () => $"no lag 0 against the archive once replayed: {standby.ReadStatus()}\n{standby.Output}");
            output.WriteLine($"{clock.Elapsed:mm\\:ss} caught up with the archive");

            WriteMilestones(standby);
            Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
            Assert.Equal(0, standby.CountLog("restore of backup"));
            Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
            Assert.False(standby.HasExited);
        }
        finally
        {
            gap.PutBack();
        }
    }

    /// <summary>The segment's number from the start of the WAL (postgres's XLogSegNo).</summary>
    private static long SegmentNumber(string segment, long segmentBytes) =>
        (long.Parse(segment[8..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture) * (0x1_0000_0000L / segmentBytes))
        + long.Parse(segment[16..24], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Where the segment starts, as postgres prints an LSN.</summary>
    private static string LsnOf(string segment, long segmentBytes)
    {
        var lsn = SegmentNumber(segment, segmentBytes) * segmentBytes;
        return string.Create(CultureInfo.InvariantCulture, $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}");
    }

    /// <summary>
    /// A streaming standby, stopped; then, on the primary, three closed segments after the standby's
    /// position, the second one gone from the primary's pg_wal and moved out of the archive; then a
    /// full backup past the gap. The standby is stopped when this returns.
    /// </summary>
    private async Task<HiddenSegment> MakeGapAsync(StandbyProcess standby, Stopwatch clock, bool backupPastTheGap = true)
    {
        var primary = world.Primary;
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await primary.WriteProbeRowsAsync("before-gap-" + standby.Name);
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));

        List<string> closed = [];
        for (var round = 1; round <= 3; round++)
        {
            await primary.WriteProbeRowsAsync($"gap-{standby.Name}-{round}");
            closed.Add(await world.SwitchWalAsync());
        }

        var missing = closed[1];
        await world.EnsureOnlyInArchiveAsync(missing, TimeSpan.FromMinutes(1));
        var gap = HiddenSegment.Hide(missing, world.ArchivedFile(missing)!, Path.Combine(primary.Root, "hidden-wal"));
        if (backupPastTheGap)
        {
            await primary.BackupAsync();
        }

        output.WriteLine($"{clock.Elapsed:mm\\:ss} standby stopped before {closed[0]}; {missing} removed from the primary and from the archive ({gap.Archived}); {(backupPastTheGap ? "new full backup taken" : "no backup past the gap")}");
        return gap;
    }

    private void WriteMilestones(StandbyProcess standby)
    {
        foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("State ", StringComparison.Ordinal) || l.Contains("restore of backup", StringComparison.Ordinal) || l.Contains("Re-syncing", StringComparison.Ordinal) || l.Contains("has already been removed", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }
}
