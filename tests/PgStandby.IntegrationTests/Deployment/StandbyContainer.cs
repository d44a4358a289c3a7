using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The image run as deploy/docker/README.md says, against the test world's primary: the three volumes as
/// host folders under the world's root, the password as a secret file, the host's network (the primary
/// listens on 127.0.0.1), a port of its own, and docker-compose.yml's capabilities and tmpfs run folder. Every container of one instance has the same name and volumes.
/// </summary>
internal sealed class StandbyContainer : IAsyncDisposable
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);

    private readonly PrimaryWorld _world;
    private readonly string _image;

    public StandbyContainer(PrimaryWorld world, string image, string name)
    {
        _world = world;
        _image = image;
        Name = Path.GetFileName(world.Root) + "-" + name;
        StandbyName = name;
        Directory = Path.Combine(world.Root, name);
        Port = FreePort.Next();
    }

    /// <summary>The container's name: the world's, so that a killed run's container is found by it.</summary>
    public string Name { get; }

    public string StandbyName { get; }

    public string Directory { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>podman run -d: a new container on this instance's volumes.</summary>
    public async Task RunAsync()
    {
        string[] volumes = ["data:/var/lib/postgresql/data", "pgbackrest:/var/lib/pgbackrest", "ssh:/var/lib/postgresql/.ssh"];
        // With the compose file's capabilities, no-new-privileges and tmpfs run folder: the set is proven to be enough.
        List<string> arguments = ["run", "-d", "--name", Name, "--network=host", .. ComposeFile.StandbyHardening()];
        foreach (var volume in volumes)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, volume.Split(':')[0]));
            arguments.AddRange(["-v", Path.Combine(Directory, volume)]);
        }

        arguments.AddRange(["-v", _world.ReplicationPasswordFile + ":/run/secrets/replication-password:ro"]);
        var environment = new Dictionary<string, string>
        {
            ["BACKREST_PRIMARY_HOST"] = "127.0.0.1",
            ["BACKREST_PRIMARY_SSH_PORT"] = _world.SshPort.ToString(CultureInfo.InvariantCulture),
            ["BACKREST_PRIMARY_CONFIG"] = _world.PgBackRestConfig,
            ["BACKREST_REPO_PATH"] = _world.RepoPath,
            ["BACKREST_STANZA"] = _world.Stanza,
            ["PG_PRIMARY_HOST"] = "127.0.0.1",
            ["PG_PRIMARY_PORT"] = _world.PgPort.ToString(CultureInfo.InvariantCulture),
            ["PG_REPLICATION_PASSWORD_FILE"] = "/run/secrets/replication-password",
            ["PG_STANDBY_NAME"] = StandbyName,
            ["PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["PGSTANDBY_RETRY_SECONDS"] = "1",
        };
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["-e", name + "=" + value]);
        }

        await Podman.CheckedAsync([.. arguments, _image], Command);
    }

    /// <summary>podman healthcheck run: the image's HEALTHCHECK, run now; its exit code.</summary>
    public async Task<int> HealthcheckAsync() => (await Podman.RunAsync(["healthcheck", "run", Name], Command)).ExitCode;

    /// <summary>Everything the container printed: the worker's log, with postgres's and pgBackRest's lines.</summary>
    public Task<string> LogsAsync() => Podman.CheckedAsync(["logs", Name], Command);

    public async Task<string?> StateAsync()
    {
        var result = await Podman.RunAsync(["exec", Name, "pgstandby", "status", "--json"], Command);
        if (result.ExitCode != 0)
        {
            return null; // no status file yet
        }

        using var status = JsonDocument.Parse(result.StandardOutput);
        return status.RootElement.GetProperty("state").GetString();
    }

    /// <summary>Polls pgstandby status in the container (each poll is a podman exec: once a second); fails with the container's log.</summary>
    public async Task WaitForStateAsync(string state, TimeSpan timeout)
    {
        string? last = null;
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(TimeSpan.FromSeconds(1)))
        {
            if ((last = await StateAsync()) == state)
            {
                return;
            }
        }

        Assert.Fail($"state {last ?? "(none)"} instead of {state} after {timeout.TotalSeconds:0} s; container log:\n{await LogsAsync()}");
    }

    /// <summary>pgstandby show-key in the container: the key an operator authorizes.</summary>
    public async Task<string> ShowKeyAsync() => (await Podman.CheckedAsync(["exec", Name, "pgstandby", "show-key"], Command)).Trim();

    /// <summary>Runs SQL on the standby with the image's psql, as postgres over the container's socket.</summary>
    public async Task<string> SqlAsync(string sql) =>
        (await Podman.CheckedAsync(["exec", "-u", "postgres", Name, "psql", "-X", "-At", "-h", "/run/postgresql", "-p", Port.ToString(CultureInfo.InvariantCulture), "-d", "postgres", "-c", sql], Command)).Trim();

    /// <summary>podman stop with the image's stop signal and the grace deploy/docker/README.md asks for; the container's exit code.</summary>
    public async Task<int> StopAsync()
    {
        await Podman.CheckedAsync(["stop", "--time", "120", Name], TimeSpan.FromMinutes(3));
        return int.Parse((await Podman.CheckedAsync(["inspect", "--format", "{{.State.ExitCode}}", Name], Command)).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Removes the stopped container; its volumes (host folders) stay.</summary>
    public Task RemoveAsync() => Podman.CheckedAsync(["rm", Name], Command);

    public async ValueTask DisposeAsync()
    {
        await Podman.RunAsync(["rm", "-f", "--time", "0", Name], TimeSpan.FromMinutes(2));
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
