using PgStandby.IntegrationTests.World;
using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/docker-compose.yml cannot run here (no Docker engine): it is parsed, and held to what the
/// image and the worker need. The image itself is run by <see cref="ContainerImageRunTests"/>.
/// </summary>
public sealed class ComposeExampleTests
{
    private static readonly string Folder = ComposeFile.Folder;

    private static readonly YamlMappingNode Root = ComposeFile.Load();

    private static YamlMappingNode Services => Map(Root, "services");

    private static YamlMappingNode Standby => Map(Services, "standby");

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
    public void Primary_IsSetUpBySetupPrimary_AndHealthyBeforeTheStandbyStarts()
    {
        var primary = Map(Services, "primary");
        var script = Strings(primary, "volumes").Single(v => v.Contains("setup-primary.sh", StringComparison.Ordinal)).Split(':')[0];

        Assert.True(File.Exists(Path.Combine(Folder, script)), script);
        Assert.Contains("setup-primary.sh", Strings(primary, "command")[^1], StringComparison.Ordinal);
        Assert.Equal("service_healthy", Scalar(Map(Map(Standby, "depends_on"), "primary"), "condition"));
    }
}
