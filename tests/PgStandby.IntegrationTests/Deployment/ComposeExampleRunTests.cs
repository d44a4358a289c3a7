using System.Text.Json;
using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/docker-compose.yml run on Debian's Docker Engine (20.10, docker-compose 1.29) as its header tells
/// an operator, with its own primary (primary.Dockerfile): the key in the standby's log, authorized on the primary
/// by setup-primary.sh, then streaming, a hot standby, the primary's rows, and nothing left after <c>down -v</c>.
/// The standby is the image under test, tagged with the file's image name rather than rebuilt by compose.
/// </summary>
public sealed class ComposeExampleRunTests
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [SwarmFact]
    public async Task Example_RunAsItsHeaderSays_StreamsThePrimarysRows_AndDownLeavesNothing()
    {
        var image = await SwarmEngine.EnsureAsync();
        await Docker.CheckedAsync(["tag", image, Scalar(Map(Map(ComposeFile.Load(), "services"), "standby"), "image")], Command);
        await using var project = new ComposeProject("pgstandby-it-compose-" + Guid.NewGuid().ToString("N")[..8]);
        await project.CheckedAsync(["build", "primary"], TimeSpan.FromMinutes(20));

        // up -d returns once the primary is healthy: set up by setup-primary.sh, its first backup taken.
        var up = await project.RunAsync(["up", "-d", "--no-build"], TimeSpan.FromMinutes(10));
        Assert.True(up.ExitCode == 0, $"up -d exited {up.ExitCode}:\n{up.StandardError}\n{await BothLogsAsync(project)}");
        var logged = await PollAsync(project, async () => KeyInLog(await project.LogsAsync("standby")), Long, "the key block in the standby's log");
        var key = (await project.CheckedAsync(["exec", "-T", "standby", "pgstandby", "show-key"], Command)).Trim();
        Assert.StartsWith("ssh-ed25519 ", key, StringComparison.Ordinal);
        Assert.Equal(key, logged);
        await project.CheckedAsync(["exec", "-T", "primary", "setup-primary.sh", "--authorize-key", key], Command);

        await PollAsync(project, async () => await StateAsync(project) == "streaming" ? "streaming" : null, Long, "state streaming");
        Assert.Equal("t", (await project.CheckedAsync(Psql("standby", "SELECT pg_is_in_recovery()"), Command)).Trim());
        var row = Guid.NewGuid().ToString("N");
        await project.CheckedAsync(Psql("primary", $"CREATE TABLE compose_probe (v text); INSERT INTO compose_probe VALUES ('{row}')"), Command);
        await PollAsync(
            project,
            async () => await project.RunAsync(Psql("standby", "SELECT v FROM compose_probe"), Command) is { ExitCode: 0 } result && result.StandardOutput.Trim() == row ? row : null,
            TimeSpan.FromMinutes(1),
            "the primary's row on the standby");

        await project.DownAsync();
        var left = new List<string>();
        foreach (var list in new[] { new[] { "ps", "-a", "--format", "{{.Names}}" }, ["volume", "ls", "--format", "{{.Name}}"], ["network", "ls", "--format", "{{.Name}}"] })
        {
            left.AddRange((await Docker.CheckedAsync(list, Command)).Split('\n').Where(n => n.StartsWith(project.Name, StringComparison.Ordinal)));
        }

        Assert.Empty(left);
    }

    /// <summary>The key line of the standby's PGSTANDBY PUBLIC KEY block (each log line is "standby_1  | text"), or null before it is logged.</summary>
    private static string? KeyInLog(string log)
    {
        var lines = log.Split('\n').Select(l => l[(l.IndexOf('|', StringComparison.Ordinal) + 1)..].Trim()).ToList();
        var start = lines.FindIndex(l => l.Contains("PGSTANDBY PUBLIC KEY", StringComparison.Ordinal));
        return start < 0 ? null : lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("=====", StringComparison.Ordinal)).FirstOrDefault(l => l.StartsWith("ssh-", StringComparison.Ordinal));
    }

    /// <summary>pgstandby status --json in the standby: its state, or null while it has none.</summary>
    private static async Task<string?> StateAsync(ComposeProject project)
    {
        var result = await project.RunAsync(["exec", "-T", "standby", "pgstandby", "status", "--json"], Command);
        if (!result.StandardOutput.TrimStart().StartsWith('{'))
        {
            return null;
        }

        using var status = JsonDocument.Parse(result.StandardOutput);
        return status.RootElement.GetProperty("state").GetString();
    }

    /// <summary>psql as postgres in a service's container, over its socket.</summary>
    private static string[] Psql(string service, string sql) => ["exec", "-T", "-u", "postgres", service, "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql];

    /// <summary>Asks once a second (each question is a docker-compose run) until it answers; fails with both services' logs.</summary>
    private static async Task<string> PollAsync(ComposeProject project, Func<Task<string?>> probe, TimeSpan timeout, string what)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(TimeSpan.FromSeconds(1)))
        {
            if (await probe() is { } answer)
            {
                return answer;
            }
        }

        Assert.Fail($"{what} not reached within {timeout.TotalSeconds:0} s\n{await BothLogsAsync(project)}");
        return string.Empty;
    }

    private static async Task<string> BothLogsAsync(ComposeProject project) =>
        $"primary's log:\n{Tail(await project.LogsAsync("primary"))}\nstandby's log:\n{Tail(await project.LogsAsync("standby"))}";

    private static string Tail(string text) => text.Length <= 8000 ? text : "…" + text[^8000..];
}
