using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The image as a Swarm service on folders made empty and root-owned beforehand (a bind mount, another volume
/// driver), on the days a restart must help and must not hurt: a hung worker is replaced, and a promoted
/// standby stays the primary through a redeploy. A primary of its own: the test stops it.
/// </summary>
[Collection(SwarmFailoverDefinition.Name)]
public sealed class SwarmFailoverTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [SwarmFact]
    public async Task Service_OnEmptyRootOwnedFolders_HungWorkerReplaced_PromotedStandbyStaysPrimaryThroughRedeploy()
    {
        var image = await SwarmEngine.EnsureAsync();
        await using var service = new SwarmService(world, image, "swarm-failover", hostFolders: true);
        await service.CreateAsync();
        var first = await service.WaitForContainerAsync(Long);
        await service.WaitForStateAsync(first, "waiting_for_key_authorization", Long);
        await world.AuthorizeAsync((await SwarmService.ExecAsync(first, "pgstandby", "show-key")).Output.Trim(), world.ReadOnlyAccount);
        await service.WaitForStateAsync(first, "streaming", Long);
        await SwarmServiceTests.WaitForProbeAsync(service, first, await world.WriteProbeRowsAsync("failover-first"));
        var data = new DirectoryInfo(service.HostFolder("/var/lib/postgresql/data"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, data.UnixFileMode);

        // A hung worker (stopped, its postgres still up): its status goes stale, health fails, Swarm replaces the task.
        var worker = await SwarmService.WorkerHostPidAsync(first);
        Assert.Equal(0, NativeMethods.Kill(worker, NativeMethods.SigStop));
        await Eventually.ThatAsync(async () => await SwarmService.HealthAsync(first) == "unhealthy", TimeSpan.FromMinutes(1), () => "the hung worker's container never turned unhealthy");
        output.WriteLine("unhealthy: " + await SwarmService.HealthLogAsync(first));
        var second = await service.WaitForContainerAsync(TimeSpan.FromMinutes(4), first); // after the 120 s stop grace
        await service.WaitForStateAsync(second, "streaming", Long);
        Assert.DoesNotContain("restore of backup", await SwarmService.LogsAsync(second), StringComparison.Ordinal);
        await SwarmServiceTests.WaitForProbeAsync(service, second, await world.WriteProbeRowsAsync("failover-replaced"));

        // The primary dies: promote in the container, then CapRover redeploys the app.
        var archived = await world.ProbeFingerprintAsync();
        await world.StopPrimaryAsync();
        try
        {
            var promote = await SwarmService.ExecWithinAsync(TimeSpan.FromMinutes(5), second, null, "pgstandby", "promote");
            Assert.True(promote.ExitCode == 0, promote.Output + promote.Error);
            await service.WaitForStateAsync(second, "primary", Long);
            Assert.Equal(archived, await service.SqlAsync(second, ProbeTable.FingerprintSql));
            await service.SqlAsync(second, ProbeTable.InsertSql("written-on-the-promoted-task", 10));
            var promoted = await service.SqlAsync(second, ProbeTable.FingerprintSql);

            await service.RedeployAsync();
            var third = await service.WaitForContainerAsync(TimeSpan.FromMinutes(3), second);
            Assert.Equal(0, await SwarmService.ExitCodeAsync(second));
            await service.WaitForStateAsync(third, "primary", Long);
            var redeployed = await SwarmService.LogsAsync(third);
            Assert.Contains("classified as StartAsPrimary", redeployed, StringComparison.Ordinal);
            Assert.DoesNotContain("restore of backup", redeployed, StringComparison.Ordinal);
            Assert.Equal(promoted, await service.SqlAsync(third, ProbeTable.FingerprintSql));
            Assert.Equal("f", await service.SqlAsync(third, "SELECT pg_is_in_recovery()"));
            await service.SqlAsync(third, ProbeTable.InsertSql("after-the-redeploy", 5));
            await SwarmServiceTests.WaitHealthyChecksAsync(service, third, 3);
            Assert.Equal(0, (await SwarmService.ExecAsync(third, "pgstandby", "health", "--ready")).ExitCode);
        }
        finally
        {
            await world.EnsurePrimaryRunningAsync();
        }
    }
}
