using System.Diagnostics;
using System.Text.Json;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Observability;

/// <summary>
/// A restore over a slow link (tc on the isolated network's veth pair): what health, status and the
/// log say while it moves, when it stops moving (the link cut), and once it is done.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class RestoreHealthTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan RestoreTarget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    [WorldFact]
    public async Task SlowRestore_HealthyWhileMoving_UnhealthyWhenStuck_ThenStreamsWithStatusFigures()
    {
        var network = world.Network ?? throw new InvalidOperationException(world.NetworkProblem);
        await using var standby = world.NewIsolatedStandby("slow-restore");
        standby.Environment["PGSTANDBY_STALL_TIMEOUT"] = "10";
        standby.Environment["PGSTANDBY_MONITOR_SECONDS"] = "2";
        await standby.PreAuthorizeAsync();
        var backupBytes = await world.NewestBackupRepositoryBytesAsync();
        var rate = Math.Max(256_000, backupBytes * 8 / (long)RestoreTarget.TotalSeconds);
        output.WriteLine($"backup {backupBytes} bytes in the repository; link throttled to {rate} bit/s");
        var clock = Stopwatch.StartNew();
        await network.ThrottleAsync(rate);
        try
        {
            standby.Start();
            await standby.WaitForStateAsync("restoring", Long);
            await Task.Delay(TimeSpan.FromSeconds(15));

            // Moving: healthy (Swarm must not kill it), not ready, the figures in the status.
            Assert.Equal("restoring", standby.State);
            var moving = await standby.RunVerbAsync("health");
            Assert.True(moving.ExitCode == 0, $"{clock.Elapsed:mm\\:ss} health while the restore moves: {moving.StandardOutput}\n{standby.Output}");
            Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);
            var status = standby.ReadStatus()!.Value;
            Assert.Equal(JsonValueKind.String, status.GetProperty("restore_started_at").ValueKind);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} healthy while restoring: {status.GetProperty("reason").GetString()}");

            // Stuck: the link cut, nothing arrives; past PGSTANDBY_STALL_TIMEOUT the verdict turns.
            await network.PartitionAsync();
            string stuck = string.Empty;
            await Eventually.ThatAsync(
                async () =>
                {
                    var health = await standby.RunVerbAsync("health");
                    stuck = health.StandardOutput;
                    return health.ExitCode == 1;
                },
                TimeSpan.FromSeconds(40),
                () => $"health never turned unhealthy with the link cut: {stuck}\n{standby.Output}");
            Assert.Equal("restoring", standby.State);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} unhealthy while stuck: {stuck.Trim()}");
            await network.HealAsync();

            // Moving again: healthy again before the restore ends.
            await Eventually.ThatAsync(
                async () => standby.State != "restoring" || (await standby.RunVerbAsync("health")).ExitCode == 0,
                TimeSpan.FromSeconds(60),
                () => $"health never recovered once the link was back\n{standby.Output}");
            output.WriteLine($"{clock.Elapsed:mm\\:ss} moving again ({standby.State})");
        }
        finally
        {
            await network.HealAsync();
            await network.UnthrottleAsync();
        }

        await standby.WaitForStateAsync("streaming", Long);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} streaming");

        var progressLines = standby.Output.Split('\n').Where(l => l.Contains("% done: ", StringComparison.Ordinal) || l.Contains("Restore running: ", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join('\n', progressLines));
        Assert.True(progressLines.Count >= 3, $"{progressLines.Count} progress lines:\n{standby.Output}");

        var json = await standby.RunVerbAsync("status", "--json");
        Assert.Equal(0, json.ExitCode);
        var final = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal("streaming", final.GetProperty("state").GetString());
        Assert.True(final.GetProperty("last_restore_seconds").GetDouble() >= 20, json.StandardOutput);
        Assert.Equal(JsonValueKind.Null, final.GetProperty("restore_percent").ValueKind);
        Assert.Equal(0, final.GetProperty("postgres_restarts").GetInt32());
    }
}
