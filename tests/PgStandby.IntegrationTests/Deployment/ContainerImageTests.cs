using System.Text.Json;
using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>deploy/docker/Dockerfile and captain-definition: what the image promises, read from the files CapRover and Docker build.</summary>
public sealed partial class ContainerImageTests
{
    private static readonly string DockerfilePath = Path.Combine(RepositoryPaths.Root, "deploy/docker/Dockerfile");

    private static readonly IReadOnlyList<(string Instruction, string Arguments)> Instructions = ReadInstructions();

    [Fact]
    public void CaptainDefinition_BuildsTheDockerfile_FromTheRepositoryRoot()
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "captain-definition")));

        Assert.Equal(2, definition.RootElement.GetProperty("schemaVersion").GetInt32());
        var path = definition.RootElement.GetProperty("dockerfilePath").GetString()!;
        Assert.StartsWith("./", path, StringComparison.Ordinal);
        Assert.DoesNotContain("..", path, StringComparison.Ordinal);
        Assert.Equal(DockerfilePath, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, path)));
    }

    [Fact]
    public void Dockerfile_PublishesWithTheSdk_AndRunsOnDebianSlim()
    {
        var from = Instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "debian:bookworm-slim"], from);
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("--self-contained true", StringComparison.Ordinal));
        var packages = Instructions.Single(i => i.Instruction == "RUN" && i.Arguments.Contains("postgresql-15", StringComparison.Ordinal)).Arguments;
        Assert.All(["pgbackrest", "openssh-client", "tini", "create_main_cluster = false"], p => Assert.Contains(p, packages, StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_KeepsTheSeedsVolumes_ChecksHealth_StopsWithSigterm_ExposesNothing()
    {
        Assert.Equal(
            """["/var/lib/postgresql/data", "/var/lib/pgbackrest", "/var/lib/postgresql/.ssh"]""",
            Instructions.Single(i => i.Instruction == "VOLUME").Arguments);
        var health = Instructions.Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        Assert.EndsWith("""CMD ["pgstandby", "health"]""", health, StringComparison.Ordinal);
        Assert.Matches("--start-period=[0-9]+m", health);
        Assert.Equal("SIGTERM", Instructions.Single(i => i.Instruction == "STOPSIGNAL").Arguments);
        Assert.DoesNotContain(Instructions, i => i.Instruction is "EXPOSE" or "USER");
        Assert.Equal("""["/usr/bin/tini", "--"]""", Instructions.Single(i => i.Instruction == "ENTRYPOINT").Arguments);
    }

    /// <summary>Instructions with their continuation lines joined, comments dropped, as the builder reads them.</summary>
    private static List<(string, string)> ReadInstructions()
    {
        var joined = ContinuationRegex().Replace(string.Join('\n', File.ReadAllLines(DockerfilePath).Where(l => !l.TrimStart().StartsWith('#'))), " ");
        return joined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : string.Empty))
            .ToList();
    }

    [GeneratedRegex(@"\\\n")]
    private static partial Regex ContinuationRegex();
}
