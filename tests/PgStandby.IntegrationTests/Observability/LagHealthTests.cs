using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

[Collection(WorldDefinition.Name)]
public sealed class LagHealthTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task BulkLoadWhileReplayPaused_LagPastMaxLagBytes_LaggingAliveButNotReadyUntilResumed()
    {
        await using var standby = world.NewStandby("lagging");
        standby.Environment["PGSTANDBY_MAX_LAG_BYTES"] = "64KiB";
        standby.Environment["PGSTANDBY_LAG_SAMPLES"] = "2";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
        Assert.Equal(0, (await standby.RunVerbAsync("health", "--ready")).ExitCode);

        await standby.ScalarAsync("SELECT pg_wal_replay_pause()");
        await world.SqlAsync("INSERT INTO probe (note) SELECT repeat('lag', 100) FROM generate_series(1, 5000)");

        await standby.WaitForStateAsync("lagging", TimeSpan.FromSeconds(60));
        var status = standby.ReadStatus()!.Value;
        Assert.True(status.GetProperty("lag_bytes").GetInt64() > 65536, status.ToString());
        Assert.True(status.GetProperty("healthy").GetBoolean());
        Assert.False(status.GetProperty("ready").GetBoolean());
        Assert.Contains("PAUSED", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var health = await standby.RunVerbAsync("health");
        Assert.True(health.ExitCode == 0, health.StandardOutput); // Swarm and Kubernetes must not kill a standby serving reads
        Assert.StartsWith("healthy: lagging", health.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);

        await standby.ScalarAsync("SELECT pg_wal_replay_resume()");

        await standby.WaitForStateAsync("streaming", TimeSpan.FromSeconds(60));
        var healthy = await standby.RunVerbAsync("health");
        Assert.True(healthy.ExitCode == 0, healthy.StandardOutput);
        Assert.Equal(0, (await standby.RunVerbAsync("health", "--ready")).ExitCode);
    }

    [WorldFact]
    public async Task WorkerFrozen_StatusNoLongerRewritten_StaleUnhealthyUntilItRunsAgain()
    {
        await using var standby = world.NewStandby("stale");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var status = standby.ReadStatus()!.Value;
        Assert.True(status.GetProperty("stale_after").GetDateTimeOffset() > status.GetProperty("updated_at").GetDateTimeOffset());

        // SIGSTOP: the worker's pid stays alive but it rewrites nothing (a hung worker).
        await Shell.RunAsync("kill", ["-STOP", standby.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            string line = string.Empty;
            await Eventually.ThatAsync(
                async () =>
                {
                    var health = await standby.RunVerbAsync("health");
                    line = health.StandardOutput;
                    return health.ExitCode == 1;
                },
                TimeSpan.FromSeconds(60),
                () => "health never turned stale: " + line);
            Assert.StartsWith("unhealthy: stale status", line, StringComparison.Ordinal);
        }
        finally
        {
            await Shell.RunAsync("kill", ["-CONT", standby.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        await Eventually.ThatAsync(
            async () => (await standby.RunVerbAsync("health")).ExitCode == 0,
            TimeSpan.FromSeconds(30),
            () => "health never came back after SIGCONT:\n" + standby.Output);
    }
}
