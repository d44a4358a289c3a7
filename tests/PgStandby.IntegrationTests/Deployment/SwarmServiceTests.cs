using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The image as CapRover runs it, a Docker Swarm service on the real engine, through an app's life: first deploy
/// (the key read from the service's logs), a restore and a catch-up over a slow link, a lag behind a bulk load,
/// a redeploy, a killed container. Swarm acts on the image's HEALTHCHECK (checked every second here): the task
/// must never be replaced for waiting, restoring, catching up or lagging.
/// </summary>
[Collection(SwarmDefinition.Name)]
public sealed partial class SwarmServiceTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SlowRestore = TimeSpan.FromSeconds(40);

    [SwarmFact]
    public async Task Service_FirstDeployOverASlowLinkLagRedeployAndKill_OneTaskUntilRedeployedThenNeverRestoresAgain()
    {
        var image = await SwarmEngine.EnsureAsync();
        await using var service = new SwarmService(world, image, "swarm");
        service.Environment["PGSTANDBY_MAX_LAG_BYTES"] = "16MiB";
        service.Environment["PGSTANDBY_LAG_SAMPLES"] = "2";

        // The primary's sshd and postgres, slowed down for what they send: the restore lasts about 40 s.
        var rate = Math.Max(512_000, await world.NewestBackupRepositoryBytesAsync() * 8 / (long)SlowRestore.TotalSeconds);
        var throttle = await LoopbackThrottle.StartAsync([world.SshPort, world.PgPort], rate);
        try
        {
            output.WriteLine($"loopback from the primary's ports throttled to {rate} bit/s");
            await service.CreateAsync();
            var first = await service.WaitForContainerAsync(Long);

            // The key, where CapRover's "View App Logs" shows it, is the one show-key gives.
            await service.WaitForStateAsync(first, "waiting_for_key_authorization", Long);
            var key = (await SwarmService.ExecAsync(first, "pgstandby", "show-key")).Output.Trim();
            Assert.StartsWith("ssh-ed25519 ", key, StringComparison.Ordinal);
            var logs = string.Empty; // Swarm's log broker may answer before the task's first lines reach it
            await Eventually.ThatAsync(
                async () => (logs = await service.ServiceLogsAsync()).Split('\n').Select(l => l.Trim()).Contains(key),
                TimeSpan.FromMinutes(1),
                () => "the key is not on a line of its own in docker service logs:\n" + logs);
            Assert.Contains("PGSTANDBY PUBLIC KEY", logs, StringComparison.Ordinal);

            // Waiting for the key: healthy, check after check.
            await WaitHealthyChecksAsync(service, first, 8);
            Assert.Single(await service.TasksAsync());

            await world.AuthorizeAsync(key, world.ReadOnlyAccount);
            await service.WaitForStateAsync(first, "restoring", Long);
            var restoring = Stopwatch.StartNew();
            await WaitHealthyChecksAsync(service, first, 5);
            await service.WaitForStateAsync(first, "streaming", Long);
            output.WriteLine($"restoring to streaming in {restoring.Elapsed.TotalSeconds:0} s, one task");

            // The link was slow indeed: the backup cannot cross it faster than its size allows.
            Assert.True(restoring.Elapsed >= SlowRestore / 2, $"restored in {restoring.Elapsed.TotalSeconds:0} s: the throttle did not hold");
            Assert.Contains("restore of backup", await SwarmService.LogsAsync(first), StringComparison.Ordinal);
            await WaitForProbeAsync(service, first, await world.WriteProbeRowsAsync("swarm-first"));

            // A bulk load the throttled stream cannot keep up with: lagging, healthy, not ready, the same task.
            await world.SqlAsync("CREATE TABLE swarm_bulk AS SELECT g AS id, repeat(md5(g::text), 8) AS filler FROM generate_series(1, 200000) AS g");
            await service.WaitForStateAsync(first, "lagging", Long);
            Assert.Equal(0, (await SwarmService.ExecAsync(first, "pgstandby", "health")).ExitCode);
            Assert.Equal(1, (await SwarmService.ExecAsync(first, "pgstandby", "health", "--ready")).ExitCode);
            await WaitHealthyChecksAsync(service, first, 3);
            await throttle.DisposeAsync();
            await service.WaitForStateAsync(first, "streaming", Long);
            await WaitForProbeAsync(service, first, await world.WriteProbeRowsAsync("swarm-caught-up"));
            var single = Assert.Single(await service.TasksAsync());
            output.WriteLine("one task from the first deploy to here: " + single);
            Assert.Equal("healthy", await SwarmService.HealthAsync(first));
        }
        finally
        {
            await throttle.DisposeAsync();
        }

        await RedeployAndKillAsync(service);
    }

    /// <summary>CapRover's redeploy (update --force): a clean stop and a start without a restore; then the container SIGKILLed.</summary>
    private async Task RedeployAndKillAsync(SwarmService service)
    {
        var first = await service.RunningContainerAsync() ?? throw new InvalidOperationException("no running task");
        await service.RedeployAsync();
        var second = await service.WaitForContainerAsync(TimeSpan.FromMinutes(3), first);
        Assert.Equal(0, await SwarmService.ExitCodeAsync(first));
        var stopped = await SwarmService.LogsAsync(first);
        Assert.Contains("received fast shutdown request", stopped, StringComparison.Ordinal);
        Assert.Contains("database system is shut down", stopped, StringComparison.Ordinal);
        await service.WaitForStateAsync(second, "streaming", Long);
        var redeployed = await SwarmService.LogsAsync(second);
        Assert.Contains("classified as StartExisting", redeployed, StringComparison.Ordinal);
        Assert.DoesNotContain("restore of backup", redeployed, StringComparison.Ordinal);
        await WaitForProbeAsync(service, second, await world.WriteProbeRowsAsync("swarm-redeployed"));

        // The container killed outright: Swarm starts a new task on the same volumes, postgres recovers, no restore.
        await ContainerCli.Docker.CheckedAsync(["kill", "-s", "KILL", second], TimeSpan.FromMinutes(1));
        var third = await service.WaitForContainerAsync(TimeSpan.FromMinutes(2), second);
        Assert.Equal(137, await SwarmService.ExitCodeAsync(second));
        await service.WaitForStateAsync(third, "streaming", Long);
        var recovered = await SwarmService.LogsAsync(third);
        Assert.Contains("classified as StartExisting", recovered, StringComparison.Ordinal);
        Assert.DoesNotContain("restore of backup", recovered, StringComparison.Ordinal);
        Assert.Contains("was interrupted", recovered, StringComparison.Ordinal); // postgres's crash recovery
        await WaitForProbeAsync(service, third, await world.WriteProbeRowsAsync("swarm-after-kill"));
        Assert.Equal(3, (await service.TasksAsync()).Count);
    }

    /// <summary>
    /// Waits until Docker has recorded <paramref name="checks"/> more passing health checks of the container, with no
    /// failure among the checks it keeps: alive the whole time, as Swarm sees it.
    /// </summary>
    internal static async Task WaitHealthyChecksAsync(SwarmService service, string container, int checks)
    {
        var before = await LatestCheckAsync(service, container);
        var seen = 0;
        for (var deadline = DateTime.UtcNow.AddMinutes(1); seen < checks && DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            var health = await SwarmService.HealthLogAsync(container);
            Assert.DoesNotContain("\"ExitCode\":1", health, StringComparison.Ordinal);
            var latest = await LatestCheckAsync(service, container);
            if (latest != before)
            {
                seen++;
                before = latest;
            }
        }

        Assert.True(seen >= checks, $"{seen} health checks instead of {checks}: {await SwarmService.HealthLogAsync(container)}");
        Assert.Equal("healthy", await SwarmService.HealthAsync(container));
    }

    private static async Task<string> LatestCheckAsync(SwarmService service, string container) =>
        StartRegex().Matches(await SwarmService.HealthLogAsync(container)).LastOrDefault()?.Value ?? string.Empty;

    internal static async Task WaitForProbeAsync(SwarmService service, string container, string fingerprint)
    {
        string? last = null;
        await Eventually.ThatAsync(
            async () => (last = await service.SqlAsync(container, ProbeTable.FingerprintSql)) == fingerprint,
            TimeSpan.FromMinutes(2),
            () => string.Create(CultureInfo.InvariantCulture, $"the standby's probe table is {last ?? "(unreadable)"}, the primary's {fingerprint}"));
    }

    [GeneratedRegex("\"Start\":\"[^\"]+\"")]
    private static partial Regex StartRegex();
}
