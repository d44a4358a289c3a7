using System.Diagnostics;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// A standby stopped for longer than the primary keeps WAL: meanwhile the primary takes two full backups with
/// repo1-retention-full=1, so pgBackRest's expire removes every older backup and the WAL before the newest one,
/// and its checkpoints recycle that WAL from pg_wal. The WAL the standby needs is gone for good.
/// </summary>
[Collection(ExpiredGapDefinition.Name)]
public sealed class ExpiredGapTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task StandbyStoppedWhileThePrimaryExpiresItsWal_ResyncsByItselfWithoutResyncOnGapAndReachesThePrimarysRows()
    {
        var primary = world.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("expired");
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10"; // PGSTANDBY_RESYNC_ON_GAP stays at its default, false
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await primary.WriteProbeRowsAsync("before-expiry");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));

        // The standby resumes in the segment the primary writes now (or a later one).
        var needed = await world.CurrentSegmentAsync();
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} standby stopped in {needed}");

        for (var round = 1; round <= 2; round++)
        {
            await primary.WriteProbeRowsAsync($"while-stopped-{round}");
            await world.SwitchWalAsync();
            await Shell.AsPostgresAsync("pgbackrest", ["--config=" + primary.PgBackRestConfig, "--stanza=" + primary.Stanza, "--type=full", "--start-fast", "--repo1-retention-full=1", "backup"], TimeSpan.FromMinutes(3));
        }

        await Eventually.ThatAsync(
            async () =>
            {
                await primary.WriteProbeRowsAsync("filler", 10);
                await world.SwitchWalAsync();
                await primary.SqlAsync("CHECKPOINT");
                return await primary.SqlAsync($"SELECT count(*) FROM pg_ls_waldir() WHERE name = '{needed}'") == "0";
            },
            TimeSpan.FromMinutes(1),
            () => $"{needed} is still in the primary's pg_wal");
        Assert.Single(await world.BackupLabelsAsync());
        Assert.Null(world.ArchivedFile(needed));
        var expected = await primary.WriteProbeRowsAsync("after-expiry");
        output.WriteLine($"{clock.Elapsed:mm\\:ss} two full backups with retention 1: {needed} expired from the archive and recycled on the primary");

        try
        {
            standby.Start();
            await standby.WaitForLogAsync("Re-syncing the standby", Long);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} re-sync started");
            await standby.WaitForProbeAsync(expected, Long);
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
            output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming after the re-sync");
        }
        finally
        {
            foreach (var line in standby.Output.Split('\n').Where(l => l.Contains("State ", StringComparison.Ordinal) || l.Contains("WAL gap", StringComparison.Ordinal) || l.Contains("Re-sync", StringComparison.Ordinal) || l.Contains("has already been removed", StringComparison.Ordinal)).Distinct())
            {
                output.WriteLine(line);
            }
        }

        // The operator reads why: the three facts, and that the worker acted on them by itself.
        Assert.Contains($"requested WAL segment {needed} has already been removed", standby.Output, StringComparison.Ordinal);
        Assert.Contains($"an expired WAL gap (segment {needed} is not in the archive, is older than the oldest backup's WAL start", standby.Output, StringComparison.Ordinal);
        Assert.Equal(1, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
        Assert.False(standby.HasExited);
        Assert.Equal(await primary.SqlAsync("SELECT count(*) FROM probe"), await standby.ScalarAsync("SELECT count(*) FROM probe"));
        Assert.Equal(await primary.ProbeFingerprintAsync(), await standby.ProbeFingerprintAsync());
    }
}
