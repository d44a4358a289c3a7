using System.Globalization;
using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;
using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/docker-compose.yml cannot run here (no Docker engine): it is parsed, and held to what the
/// image and the worker need. The image itself is run by <see cref="ContainerImageRunTests"/>.
/// </summary>
public sealed partial class ComposeExampleTests
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
        var grace = Duration(Scalar(Standby, "stop_grace_period"));

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
        var documented = ReadmeVariables();
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

    /// <summary>Every variable named in the first column of the README's Configuration table.</summary>
    private static HashSet<string> ReadmeVariables()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => VariableRegex().Matches(l.Split('|')[1]).Select(m => m.Groups["name"].Value))
            .ToHashSet();
    }

    /// <summary>A compose duration: 120s, 2m, 1m30s, 1h.</summary>
    private static TimeSpan Duration(string text)
    {
        var match = DurationRegex().Match(text);
        Assert.True(match.Success, "not a compose duration: " + text);
        int Part(string unit) => match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part("h"), Part("m"), Part("s"));
    }

    [GeneratedRegex("`(?<name>[A-Z][A-Z0-9_]+)`")]
    private static partial Regex VariableRegex();

    [GeneratedRegex("^(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?$")]
    private static partial Regex DurationRegex();
}
