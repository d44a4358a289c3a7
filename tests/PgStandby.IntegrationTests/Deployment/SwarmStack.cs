using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// A stack deployed by `docker stack deploy` on the shared engine, with the secrets made for it. Removed on dispose
/// (or earlier, by <see cref="RemoveAsync"/>) as an operator removes one: stack rm, its containers gone, then its
/// volumes, which Swarm never removes and which stay in use until their container is gone.
/// </summary>
internal sealed class SwarmStack(string name) : IAsyncDisposable
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);

    private readonly List<string> _secrets = [];

    /// <summary>The stack's name: every service, network and volume starts with it and carries it as a label.</summary>
    public string Name { get; } = name;

    private string Namespace => "label=com.docker.stack.namespace=" + Name;

    /// <summary>A secret of this stack's, from a file that is removed at once (Docker keeps it in the swarm's store).</summary>
    public async Task CreateSecretAsync(string secret, string value)
    {
        var file = Path.Combine(Path.GetTempPath(), secret);
        await File.WriteAllTextAsync(file, value);
        try
        {
            await Docker.CheckedAsync(["secret", "create", secret, file], Command);
            _secrets.Add(secret);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>docker stack deploy without a registry; returns what the client printed, warnings included.</summary>
    public async Task<string> DeployAsync(string file, IReadOnlyDictionary<string, string?> environment)
    {
        var result = await Docker.RunAsync(["stack", "deploy", "--resolve-image", "never", "-c", file, Name], TimeSpan.FromMinutes(2), environment);
        Assert.True(result.ExitCode == 0, $"docker stack deploy exited {result.ExitCode}: {result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>The service's tasks, in every state (a replaced task stays in the list as shut down).</summary>
    public async Task<IReadOnlyList<string>> TasksAsync(string service) =>
        Lines(await Docker.CheckedAsync(["service", "ps", "--quiet", "--no-trunc", Name + "_" + service], Command));

    /// <summary>The running containers of the service.</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync(string service) =>
        Lines(await Docker.CheckedAsync(["ps", "--quiet", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + Name + "_" + service], Command));

    /// <summary>docker stack rm, then waits for the containers to go before it removes the volumes and the secrets.</summary>
    public async Task RemoveAsync()
    {
        await Docker.RunAsync(["stack", "rm", Name], Command);
        IReadOnlyList<string> containers = [];
        await Eventually.ThatAsync(
            async () => (containers = await ListAsync("ps", "--all")).Count == 0,
            TimeSpan.FromMinutes(4), // the stop grace (120 s), were a worker slow to stop
            () => "containers of the removed stack are still there: " + string.Join(", ", containers));
        foreach (var volume in await ListAsync("volume", "ls"))
        {
            await Docker.CheckedAsync(["volume", "rm", volume], Command);
        }

        foreach (var secret in _secrets)
        {
            await Docker.CheckedAsync(["secret", "rm", secret], Command);
        }

        _secrets.Clear();
    }

    /// <summary>What is left of the stack: its services, containers, networks and volumes, and the secrets made for it.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        var secrets = Lines(await Docker.CheckedAsync(["secret", "ls", "--format", "{{.Name}}"], Command)).Where(s => s.StartsWith(Name, StringComparison.Ordinal));
        return
        [
            .. (await ListAsync("service", "ls")).Select(s => "service " + s),
            .. (await ListAsync("ps", "--all")).Select(c => "container " + c),
            .. (await ListAsync("network", "ls")).Select(n => "network " + n),
            .. (await ListAsync("volume", "ls")).Select(v => "volume " + v),
            .. secrets.Select(s => "secret " + s),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        if ((await LeftoversAsync()).Count > 0)
        {
            await RemoveAsync();
        }
    }

    private async Task<IReadOnlyList<string>> ListAsync(params string[] listing) =>
        Lines(await Docker.CheckedAsync([.. listing, "--quiet", "--filter", Namespace], Command));

    private static List<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
