using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>The primary goes away (a restart, or the whole machine) while the standby depends on it. Both tests restart the shared primary in a finally block.</summary>
[Collection(WorldDefinition.Name)]
public sealed class PrimaryOutageTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task StreamingStandby_PrimaryRestarted_ReconnectsAndCatchesUpWithoutRestore()
    {
        await using var standby = world.NewStandby("primary-restart");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await world.WriteProbeRowsAsync("before-primary-restart");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));

        try
        {
            await world.RestartPrimaryAsync();
        }
        finally
        {
            await world.EnsurePrimaryRunningAsync();
        }

        Assert.Equal(before, await standby.ProbeFingerprintAsync());
        var after = await world.WriteProbeRowsAsync("after-primary-restart");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(2));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
        Assert.Equal("streaming", await world.SqlAsync("SELECT state FROM pg_stat_replication WHERE application_name = 'primary-restart'"));
        Assert.False(standby.HasExited);
        Assert.Equal(1, standby.CountLog("classified as"));
        Assert.Equal(1, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Re-syncing"));
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
    }

    [WorldFact]
    public async Task CompleteStandby_RestartedWhilePrimaryEntirelyDown_ServesItsRowsThenStreamsWhenPrimaryReturns()
    {
        await using var standby = world.NewIsolatedStandby("primary-down");
        var network = standby.Network!;
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await world.WriteProbeRowsAsync("before-primary-down");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));

        try
        {
            // The primary's machine is gone: no PostgreSQL, and its address (SSH included) does not answer.
            await world.StopPrimaryAsync();
            await network.PartitionAsync();
            standby.Start();

            string? seen = null;
            await Eventually.ThatAsync(
                async () => (seen = await standby.ProbeFingerprintAsync()) == before,
                TimeSpan.FromMinutes(2),
                () => $"the standby does not serve its rows with the primary down (probe table {seen ?? "unreadable"}, state {standby.State}):\n{standby.Output}");
            Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
            Assert.False(standby.HasExited);
            await Eventually.ThatAsync(
                () => Task.FromResult(standby.State is not (null or "starting" or "starting_postgres")),
                TimeSpan.FromMinutes(1),
                () => $"postgres serves reads but the worker still reports {standby.State}:\n{standby.Output}");
            var status = standby.ReadStatus()!.Value;
            output.WriteLine($"with the primary down: state {status.GetProperty("state").GetString()}, healthy {status.GetProperty("healthy")}, reason: {status.GetProperty("reason").GetString()}");
            Assert.True(standby.State is not ("streaming" or "failing" or "refused"), $"state {standby.State} with the primary down");
            Assert.Contains("classified as StartExisting", standby.Output, StringComparison.Ordinal);
            Assert.Equal(0, standby.CountLog("restore of backup"));
        }
        finally
        {
            await network.HealAsync();
            await world.EnsurePrimaryRunningAsync();
        }

        var after = await world.WriteProbeRowsAsync("after-primary-down");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(2));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
        Assert.Equal(0, standby.CountLog("restore of backup"));
    }
}
