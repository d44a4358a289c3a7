using PgStandby.IntegrationTests.World;
using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/docker-compose.yml parsed, and held to what the image, the worker and docker-compose 1.29 need.
/// <see cref="ComposeExampleRunTests"/> runs it on Debian's Docker Engine; <see cref="ContainerImageRunTests"/>
/// runs the image with podman.
/// </summary>
public sealed class ComposeExampleTests
{
    private static readonly string Folder = ComposeFile.Folder;

    private static readonly YamlMappingNode Root = ComposeFile.Load();

    private static YamlMappingNode Services => Map(Root, "services");

    private static YamlMappingNode Standby => Map(Services, "standby");

    private static YamlMappingNode PrimaryBuild => Map(Map(Services, "primary"), "build");

    [Fact]
    public void Standby_BuildsTheDockerfile_FromTheRepositoryRoot()
    {
        var build = Map(Standby, "build");
        var context = Path.GetFullPath(Path.Combine(Folder, Scalar(build, "context")));

        Assert.Equal(RepositoryPaths.Root, context.TrimEnd('/'));
        Assert.Equal(Path.Combine(Folder, "Dockerfile"), Path.GetFullPath(Path.Combine(context, Scalar(build, "dockerfile"))));
    }

    [Fact]
    public void Standby_KeepsTheSeedsThreeFolders_OnDeclaredNamedVolumes()
    {
        var declared = Map(Root, "volumes").Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        var mounts = Strings(Standby, "volumes").Select(v => v.Split(':')).ToDictionary(parts => parts[1], parts => parts[0]);

        Assert.All(["/var/lib/postgresql/data", "/var/lib/pgbackrest", "/var/lib/postgresql/.ssh"], target =>
        {
            Assert.True(mounts.TryGetValue(target, out var source), "no volume on " + target);
            Assert.Contains(source, declared);
        });
    }

    [Fact]
    public void Standby_StopGraceCoversTheWorkersStop_AndPublishesNoPort()
    {
        var grace = ComposeDuration.Parse(Scalar(Standby, "stop_grace_period"));

        Assert.True(grace >= TimeSpan.FromSeconds(120), $"stop_grace_period {grace} must cover PGSTANDBY_STOP_TIMEOUT_SECONDS (60) + 15 s, as the README asks 120 s");
        Assert.False(Has(Standby, "ports"), "the standby needs no inbound port");
        Assert.False(Has(Standby, "network_mode"));
    }

    [Fact]
    public void Standby_DropsEveryCapabilityButThoseItsRootStartUses_AndKeepsItsRunFolderInMemory()
    {
        // The worker's default PGSTANDBY_RUN_DIR, unless the file sets another.
        var environment = Map(Standby, "environment");
        var runFolder = Has(environment, "PGSTANDBY_RUN_DIR") ? Scalar(environment, "PGSTANDBY_RUN_DIR") : "/run/pgstandby";

        Assert.Equal(["ALL"], Strings(Standby, "cap_drop"));
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"], Strings(Standby, "cap_add").Order(StringComparer.Ordinal));
        Assert.Contains("no-new-privileges:true", Strings(Standby, "security_opt"));
        var tmpfs = Assert.Single(Strings(Standby, "tmpfs"), t => t.Split(':')[0] == runFolder);
        Assert.Contains("exec", tmpfs.Split(':')[1].Split(','));   // the ssh wrapper pgBackRest runs lives there
        Assert.False(Has(Standby, "privileged"));
    }

    [Fact]
    public void Standby_Variables_AreTheReadmesAndNeverAPassword()
    {
        var documented = ReadmeConfiguration.Variables();
        var environment = Map(Standby, "environment").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

        Assert.Contains("BACKREST_PRIMARY_HOST", environment);
        Assert.Contains("PG_REPLICATION_PASSWORD_FILE", environment);
        Assert.DoesNotContain("PG_REPLICATION_PASSWORD", environment);
        Assert.All(environment, name => Assert.True(documented.Contains(name), name + " is not in the README's environment table"));
    }

    [Fact]
    public void Primary_IsBuiltWithSetupPrimary_RunsItAtStart_AndIsHealthyBeforeTheStandbyStarts()
    {
        var context = Path.GetFullPath(Path.Combine(Folder, Scalar(PrimaryBuild, "context")));
        var dockerfile = PrimaryDockerfile();

        Assert.True(File.Exists(Path.Combine(context, "setup-primary.sh")), "setup-primary.sh is not in the primary's build context " + context);
        Assert.Contains("COPY setup-primary.sh /usr/local/sbin/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("setup-primary.sh", DockerfileCommand(dockerfile), StringComparison.Ordinal);
        Assert.Equal("service_healthy", Scalar(Map(Map(Standby, "depends_on"), "primary"), "condition"));
    }

    [Fact]
    public void File_HasNoTopLevelName_AndNoContainerRunsAptGetAtStart()
    {
        Assert.False(Has(Root, "name"), "docker-compose 1.29 rejects a top-level name: (the project name is -p)");
        foreach (var service in Services.Children.Values.Cast<YamlMappingNode>())
        {
            foreach (var (_, command) in service.Children.Where(pair => pair.Key is YamlScalarNode { Value: "command" or "entrypoint" }))
            {
                Assert.DoesNotContain("apt-get", string.Join(' ', AllScalars(command)), StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain("apt-get", DockerfileCommand(PrimaryDockerfile()), StringComparison.Ordinal); // at build time only
    }

    /// <summary>The primary's Dockerfile, found as compose finds it: relative to the build context.</summary>
    private static string PrimaryDockerfile() =>
        File.ReadAllText(Path.Combine(Folder, Scalar(PrimaryBuild, "context"), Scalar(PrimaryBuild, "dockerfile")));

    /// <summary>A Dockerfile's CMD instruction, with its continuation lines.</summary>
    private static string DockerfileCommand(string dockerfile)
    {
        var start = dockerfile.IndexOf("\nCMD ", StringComparison.Ordinal);
        Assert.True(start >= 0, "the primary's Dockerfile has no CMD");
        return dockerfile[start..];
    }

    /// <summary>A command in either compose form: a string or a list.</summary>
    private static IEnumerable<string> AllScalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllScalars),
        _ => [],
    };
}
