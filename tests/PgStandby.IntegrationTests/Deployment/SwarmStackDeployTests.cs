using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/swarm/stack.yml deployed as its README says, on Debian's Docker Engine 20.10 in Swarm mode, with the image
/// under test and the node labelled for both standbys. The primary is an sshd that lets no key in: each standby
/// makes its own key and waits for it to be authorized, healthy, on the stack's overlay network.
/// </summary>
public sealed class SwarmStackDeployTests
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);

    private static readonly string[] Services = ["standby-1", "standby-2"];

    [SwarmFact]
    public async Task Stack_DeployedWithoutARegistry_RunsEachStandbyOnceWaitingHealthyForItsOwnKey_AndLeavesNothingWhenRemoved()
    {
        var image = await SwarmEngine.EnsureAsync();
        var name = "pgstandby-it-" + Guid.NewGuid().ToString("N")[..8];
        await using var primary = await RefusingSshd.StartAsync(name);
        await using var labels = await SwarmNodeLabels.AddAsync(["pgstandby-1", "pgstandby-2"]);
        await using var stack = new SwarmStack(name);
        await stack.CreateSecretAsync(name + "-replication-password", "it-password");

        var output = await stack.DeployAsync(Path.Combine(SwarmStackFileTests.Folder, "stack.yml"), new Dictionary<string, string?>
        {
            ["PGSTANDBY_IMAGE"] = image,
            ["PGSTANDBY_REPLICATION_SECRET"] = name + "-replication-password",
            ["BACKREST_PRIMARY_HOST"] = primary.Address.ToString(),
            ["BACKREST_PRIMARY_SSH_PORT"] = primary.Port.ToString(CultureInfo.InvariantCulture),
            ["BACKREST_PRIMARY_HOST_KEY"] = string.Empty,
            ["PG_PRIMARY_HOST"] = primary.Address.ToString(),
        });
        Assert.DoesNotContain("Ignoring", output, StringComparison.Ordinal); // every option of the file is applied, capabilities included

        var containers = new Dictionary<string, string>();
        foreach (var service in Services)
        {
            IReadOnlyList<string> running = [];
            await Eventually.ThatAsync(async () => (running = await stack.ContainersAsync(service)).Count == 1, TimeSpan.FromMinutes(3),
                () => $"{service} runs {running.Count} containers");
            containers[service] = running[0];
        }

        foreach (var (service, container) in containers)
        {
            string? state = null;
            await Eventually.ThatAsync(async () => (state = await StateAsync(container)) == "waiting_for_key_authorization", TimeSpan.FromMinutes(3),
                () => $"{service} is {state ?? "(no status)"}");
            Assert.Equal(["ALL"], await InspectAsync(container, "{{json .HostConfig.CapDrop}}"));
            Assert.Equal(["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID"],
                (await InspectAsync(container, "{{json .HostConfig.CapAdd}}")).Order(StringComparer.Ordinal));
        }

        var keys = new List<string>();
        foreach (var container in containers.Values)
        {
            keys.Add((await Docker.CheckedAsync(["exec", container, "pgstandby", "show-key"], Command)).Trim());
        }

        Assert.All(keys, key => Assert.StartsWith("ssh-ed25519 ", key, StringComparison.Ordinal));
        Assert.Equal(keys.Count, keys.Distinct().Count());

        // Waiting for the key is healthy: Swarm keeps the task (the health check's interval is 30 s).
        foreach (var (service, container) in containers)
        {
            string? health = null;
            await Eventually.ThatAsync(
                async () => (health = (await Docker.CheckedAsync(["inspect", "--format", "{{.State.Health.Status}}", container], Command)).Trim()) == "healthy",
                TimeSpan.FromMinutes(3), () => $"{service}'s health is {health}");
            Assert.Single(await stack.TasksAsync(service));
            Assert.Equal([container], await stack.ContainersAsync(service));
        }

        await stack.RemoveAsync();
        Assert.Empty(await stack.LeftoversAsync());
    }

    private static async Task<string?> StateAsync(string container)
    {
        var result = await Docker.RunAsync(["exec", container, "pgstandby", "status", "--json"], Command);
        if (result.ExitCode != 0)
        {
            return null; // no status file yet
        }

        using var status = JsonDocument.Parse(result.StandardOutput);
        return status.RootElement.GetProperty("state").GetString();
    }

    private static async Task<IReadOnlyList<string>> InspectAsync(string container, string format) =>
        JsonSerializer.Deserialize<List<string>>(await Docker.CheckedAsync(["inspect", "--format", format, container], Command)) ?? [];
}
