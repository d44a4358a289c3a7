using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The image as a Docker Swarm service, created the way CapRover creates an app with persistent data: the seed's
/// three folders as named volumes the engine makes (or, with <c>hostFolders</c>, as empty root-owned host folders,
/// as a bind mount or another volume driver gives them), the variables as plain environment (the password
/// included, as CapRover's app settings hold it), the image's own HEALTHCHECK and the CapRover guide's Service
/// Update Override (120 s stop grace, every capability dropped but six). Only the health timings are shortened
/// (every second, 3 retries, 1 s start period) so that Swarm acts within seconds, and the host's network
/// reaches the world's primary on loopback. One service per instance: its tasks share the volumes.
/// </summary>
internal sealed class SwarmService : IAsyncDisposable
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);
    private static readonly string[] Capabilities = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"];
    private static readonly string[] Folders = ["/var/lib/postgresql/data", "/var/lib/pgbackrest", "/var/lib/postgresql/.ssh"];

    private readonly PrimaryWorld _world;
    private readonly string _image;
    private readonly bool _hostFolders;

    public SwarmService(PrimaryWorld world, string image, string name, bool hostFolders = false)
    {
        _world = world;
        _image = image;
        _hostFolders = hostFolders;
        Name = Path.GetFileName(world.Root) + "-" + name;
        Port = FreePort.Next();
        Environment = new Dictionary<string, string>
        {
            ["BACKREST_PRIMARY_HOST"] = "127.0.0.1",
            ["PG_REPLICATION_PASSWORD"] = world.ReplicationPassword,
            ["BACKREST_PRIMARY_USER"] = world.ReadOnlyAccount,
            // The world's primary is not at the seed's defaults:
            ["BACKREST_PRIMARY_SSH_PORT"] = world.SshPort.ToString(CultureInfo.InvariantCulture),
            ["BACKREST_PRIMARY_CONFIG"] = world.PgBackRestConfig,
            ["BACKREST_REPO_PATH"] = world.RepoPath,
            ["BACKREST_STANZA"] = world.Stanza,
            ["PG_PRIMARY_HOST"] = "127.0.0.1",
            ["PG_PRIMARY_PORT"] = world.PgPort.ToString(CultureInfo.InvariantCulture),
            ["PG_SLAVE_NAME"] = name,
            ["PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture), // the host's network: a port of its own
            ["PGSTANDBY_RETRY_SECONDS"] = "1",
            ["PGSTANDBY_MONITOR_SECONDS"] = "1", // a hung worker's status is stale after 3 intervals + 10 s
        };
    }

    /// <summary>The service's name, prefixed with the world's so that tests/world/docker-down.sh sweeps it.</summary>
    public string Name { get; }

    public int Port { get; }

    public Dictionary<string, string> Environment { get; }

    /// <summary>With host folders: where the three folders are on this machine.</summary>
    public string HostDirectory => Path.Combine(_world.Root, Name);

    public string HostFolder(string target) => Path.Combine(HostDirectory, target.Trim('/').Replace('/', '-'));

    /// <summary>docker service create, detached: Swarm schedules the first task.</summary>
    public async Task CreateAsync()
    {
        List<string> arguments =
        [
            "service", "create", "--detach", "--name", Name, "--network", "host", "--no-resolve-image",
            "--health-interval", "1s", "--health-retries", "3", "--health-start-period", "1s",
            "--stop-grace-period", "120s",
            "--cap-drop", "ALL", .. Capabilities.SelectMany(c => new[] { "--cap-add", c }),
        ];
        foreach (var target in Folders)
        {
            if (_hostFolders)
            {
                Directory.CreateDirectory(HostFolder(target));
                arguments.AddRange(["--mount", $"type=bind,src={HostFolder(target)},dst={target}"]);
            }
            else
            {
                arguments.AddRange(["--mount", $"type=volume,src={VolumeName(target)},dst={target}"]);
            }
        }

        foreach (var (name, value) in Environment)
        {
            arguments.AddRange(["--env", name + "=" + value]);
        }

        await Docker.CheckedAsync([.. arguments, _image], Command);
    }

    /// <summary>docker service update --force, detached: what CapRover does on every redeploy and change of a variable.</summary>
    public Task RedeployAsync() => Docker.CheckedAsync(["service", "update", "--detach", "--force", Name], Command);

    /// <summary>Every task Swarm made for the service (docker service ps keeps the replaced ones): "id desired current error".</summary>
    public async Task<IReadOnlyList<string>> TasksAsync()
    {
        var output = await Docker.CheckedAsync(["service", "ps", "--no-trunc", "--format", "{{.ID}} {{.DesiredState}} {{.CurrentState}} {{.Error}}", Name], Command);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The container of the task that runs now, or null between tasks.</summary>
    public async Task<string?> RunningContainerAsync()
    {
        var output = await Docker.CheckedAsync(["ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + Name, "--filter", "status=running"], Command);
        var running = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return running.Length == 1 ? running[0] : null;
    }

    /// <summary>Waits for a running task whose container is not <paramref name="previous"/>; fails with the service's tasks.</summary>
    public async Task<string> WaitForContainerAsync(TimeSpan timeout, string? previous = null)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            if (await RunningContainerAsync() is { } container && container != previous)
            {
                return container;
            }
        }

        Assert.Fail($"no new running task of {Name} after {timeout.TotalSeconds:0} s: {string.Join(" | ", await TasksAsync())}");
        return string.Empty;
    }

    public static Task<BufferedResult> ExecAsync(string container, params string[] command) => ExecAsAsync(container, null, command);

    public static Task<BufferedResult> ExecAsAsync(string container, string? user, params string[] command) => ExecWithinAsync(Command, container, user, command);

    /// <summary>docker exec, bounded by <paramref name="timeout"/>: <c>pgstandby promote</c> may wait minutes (its --max-wait and --promote-wait).</summary>
    public static async Task<BufferedResult> ExecWithinAsync(TimeSpan timeout, string container, string? user, params string[] command)
    {
        var result = await Docker.RunAsync(["exec", .. user is null ? Array.Empty<string>() : ["-u", user], container, .. command], timeout);
        return new BufferedResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>The worker's state in <paramref name="container"/> (pgstandby status --json), or null before its first status.</summary>
    public static async Task<string?> StateAsync(string container)
    {
        var result = await ExecAsync(container, "pgstandby", "status", "--json");
        if (result.ExitCode != 0)
        {
            return null;
        }

        using var status = JsonDocument.Parse(result.Output);
        return status.RootElement.GetProperty("state").GetString();
    }

    /// <summary>
    /// Polls the worker's state in <paramref name="container"/> once a second until it is <paramref name="state"/>;
    /// fails at once, with the service's tasks and the container's log, if Swarm replaced the task meanwhile.
    /// </summary>
    public async Task WaitForStateAsync(string container, string state, TimeSpan timeout)
    {
        string? last = null;
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(TimeSpan.FromSeconds(1)))
        {
            if (await RunningContainerAsync() is var running && running != container)
            {
                Assert.Fail($"Swarm replaced the task while it was {last ?? "(no state yet)"} (waiting for {state}): running now {running ?? "nothing"}; tasks: {string.Join(" | ", await TasksAsync())}; health: {await HealthLogAsync(container)}\n{await LogsAsync(container)}");
            }

            if ((last = await StateAsync(container)) == state)
            {
                return;
            }
        }

        Assert.Fail($"state {last ?? "(none)"} instead of {state} after {timeout.TotalSeconds:0} s; log:\n{await LogsAsync(container)}");
    }

    /// <summary>The container's health as Docker keeps it: starting, healthy or unhealthy.</summary>
    public static async Task<string> HealthAsync(string container) =>
        (await Docker.CheckedAsync(["inspect", "--format", "{{.State.Health.Status}}", container], Command)).Trim();

    /// <summary>Docker's record of the last health checks (exit codes and output), for failure messages and proofs.</summary>
    public static async Task<string> HealthLogAsync(string container) =>
        (await Docker.RunAsync(["inspect", "--format", "{{json .State.Health}}", container], Command)).StandardOutput.Trim();

    public static async Task<int> ExitCodeAsync(string container) =>
        int.Parse((await Docker.CheckedAsync(["inspect", "--format", "{{.State.ExitCode}}", container], Command)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Everything one task's container printed (stdout and stderr).</summary>
    public static async Task<string> LogsAsync(string container)
    {
        var result = await Docker.RunAsync(["logs", container], Command);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>docker service logs: every task's output, as an operator (CapRover's "View App Logs") reads it.</summary>
    public async Task<string> ServiceLogsAsync()
    {
        var result = await Docker.RunAsync(["service", "logs", "--raw", Name], Command);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>The worker's pid on this machine: the child of the container's init (tini) that runs pgstandby.</summary>
    public static async Task<int> WorkerHostPidAsync(string container)
    {
        var init = (await Docker.CheckedAsync(["inspect", "--format", "{{.State.Pid}}", container], Command)).Trim();
        var children = (await File.ReadAllTextAsync($"/proc/{init}/task/{init}/children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children, c => File.ReadAllText($"/proc/{c}/comm").Trim() == "pgstandby"), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs SQL on the standby in <paramref name="container"/> with the image's psql, as postgres over the container's socket.</summary>
    public async Task<string> SqlAsync(string container, string sql)
    {
        var result = await ExecAsAsync(container, "postgres", "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "/run/postgresql", "-p", Port.ToString(CultureInfo.InvariantCulture), "-d", "postgres", "-c", sql);
        return result.ExitCode == 0 ? result.Output.Trim() : throw new InvalidOperationException($"psql exited {result.ExitCode}: {result.Error}");
    }

    /// <summary>Removes the service, waits for its containers to be gone, then removes its volumes and host folders.</summary>
    public async ValueTask DisposeAsync()
    {
        await Docker.RunAsync(["service", "rm", Name], Command);
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            var left = await Docker.RunAsync(["ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + Name], Command);
            if (left.StandardOutput.Trim().Length == 0)
            {
                break;
            }
        }

        if (!_hostFolders)
        {
            await Docker.RunAsync(["volume", "rm", "-f", .. Folders.Select(VolumeName)], Command);
        }
    }

    private string VolumeName(string target) => Name + "-" + Path.GetFileName(target).TrimStart('.');

    /// <summary>A command's exit code and output.</summary>
    internal sealed record BufferedResult(int ExitCode, string Output, string Error);
}
