using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>deploy/docker/Dockerfile built with podman and run as an operator runs it, against the world's primary.</summary>
[Collection(WorldDefinition.Name)]
public sealed class ContainerImageRunTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [ImageFact]
    public async Task Image_FirstStartAuthorizedThenStoppedAndRunAgainOnItsVolumes_StreamsHealthyShutsDownCleanlyWithoutSecondRestore()
    {
        var image = await StandbyImage.BuildAsync();
        var extraCertificates = await Podman.CheckedAsync(["run", "--rm", "--network=none", "--entrypoint", "find", image, "/usr/local/share/ca-certificates", "-name", "*.crt"], TimeSpan.FromMinutes(1));
        Assert.True(extraCertificates.Trim().Length == 0, "the shipped image carries the build machine's certificates: " + extraCertificates);
        await using var container = new StandbyContainer(world, image, "image");

        await container.RunAsync();
        await container.WaitForStateAsync("waiting_for_key_authorization", Long);
        Assert.Equal(0, await container.HealthcheckAsync()); // waiting for the key: alive, a restart would not authorize it
        var key = await container.ShowKeyAsync();
        Assert.StartsWith("ssh-ed25519 ", key, StringComparison.Ordinal);
        await world.AuthorizeAsync(key);

        await container.WaitForStateAsync("streaming", Long);
        Assert.Equal(0, await container.HealthcheckAsync());
        var rows = await world.WriteProbeRowsAsync("image-first");
        await WaitForProbeAsync(container, rows);

        Assert.Equal(0, await container.StopAsync());
        var first = await container.LogsAsync();
        Assert.Contains("database system is shut down", first, StringComparison.Ordinal);
        Assert.Equal(1, CountLines(first, "restore of backup"));
        Assert.False(File.Exists(Path.Combine(container.DataDirectory, "postmaster.pid")), "postgres did not finish its shutdown");
        var control = await Shell.RunAsync("/usr/lib/postgresql/15/bin/pg_controldata", ["-D", container.DataDirectory]);
        Assert.Contains("shut down in recovery", control, StringComparison.Ordinal);

        // A new container on the same three volumes, as after an image upgrade: the standby starts as it is.
        await container.RemoveAsync();
        await container.RunAsync();
        await container.WaitForStateAsync("streaming", Long);
        var second = await container.LogsAsync();
        Assert.Contains("classified as StartExisting", second, StringComparison.Ordinal);
        Assert.Equal(0, CountLines(second, "restore of backup"));
        Assert.Equal(0, await container.HealthcheckAsync());
        rows = await world.WriteProbeRowsAsync("image-second");
        await WaitForProbeAsync(container, rows);
    }

    private static async Task WaitForProbeAsync(StandbyContainer container, string fingerprint)
    {
        string? last = null;
        await Eventually.ThatAsync(
            async () => (last = await container.SqlAsync(ProbeTable.FingerprintSql)) == fingerprint,
            TimeSpan.FromMinutes(1),
            () => $"the standby's probe table is {last ?? "(unreadable)"}, the primary's {fingerprint}");
    }

    private static int CountLines(string log, string text) => log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
