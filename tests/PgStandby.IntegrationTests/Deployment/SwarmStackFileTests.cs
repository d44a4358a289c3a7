using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;
using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/swarm/stack.yml, parsed and held to what a standby needs under Swarm: a service per standby with volumes
/// of its own, pinned to its node, one task, a stop grace that covers the worker's stop, the image's own health
/// check, the password as a secret. <see cref="SwarmStackDeployTests"/> deploys it on a real engine.
/// </summary>
public sealed partial class SwarmStackFileTests
{
    internal static readonly string Folder = Path.Combine(RepositoryPaths.Root, "deploy", "swarm");

    private static readonly string[] SeedFolders = ["/var/lib/postgresql/data", "/var/lib/pgbackrest", "/var/lib/postgresql/.ssh"];

    private static readonly YamlMappingNode Root = Load();

    private static readonly string[] NameVariables = ["PG_STANDBY_NAME", "PG_SLAVE_NAME"];

    private static List<(string Name, YamlMappingNode Spec)> Standbys =>
        Map(Root, "services").Children.Select(p => (((YamlScalarNode)p.Key).Value!, (YamlMappingNode)p.Value)).ToList();

    [Fact]
    public void File_IsComposeFormat38_WithTwoStandbyServices()
    {
        Assert.Equal("3.8", Scalar(Root, "version"));
        Assert.Equal(["standby-1", "standby-2"], Standbys.Select(s => s.Name));
    }

    [Fact]
    public void EachStandby_KeepsTheSeedsThreeFolders_OnDeclaredVolumesOfItsOwn()
    {
        var declared = Map(Root, "volumes").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var owners = new Dictionary<string, string>();

        Assert.All(Standbys, standby =>
        {
            var mounts = Strings(standby.Spec, "volumes").Select(v => v.Split(':')).ToDictionary(parts => parts[1], parts => parts[0]);
            Assert.Equal(SeedFolders.Order(StringComparer.Ordinal), mounts.Keys.Order(StringComparer.Ordinal));
            Assert.All(mounts.Values, source =>
            {
                Assert.Contains(source, declared);
                Assert.True(owners.TryAdd(source, standby.Name), $"volume {source} is shared by {standby.Name} and {owners.GetValueOrDefault(source)}");
            });
        });
    }

    [Fact]
    public void EachStandby_HasItsOwnName_AndItsOwnNodeConstraint_OneTaskStoppedBeforeItsReplacementStarts()
    {
        Assert.Equal(Standbys.Count, Standbys.Select(s => StandbyName(s.Spec)).Distinct().Count());
        Assert.Equal(Standbys.Count, Standbys.Select(s => string.Join(';', Constraints(s.Spec))).Distinct().Count());
        Assert.All(Standbys, standby =>
        {
            var deploy = Map(standby.Spec, "deploy");
            Assert.Equal("1", Scalar(deploy, "replicas"));
            Assert.Equal("stop-first", Scalar(Map(deploy, "update_config"), "order"));
            Assert.NotEmpty(Constraints(standby.Spec));
            Assert.All(Constraints(standby.Spec), c => Assert.Matches(ConstraintRegex(), c));
        });
    }

    [Fact]
    public void EachStandby_StopGraceCoversTheWorkersStop_PublishesNoPort_AndKeepsTheImagesHealthCheck()
    {
        Assert.All(Standbys, standby =>
        {
            var grace = ComposeDuration.Parse(Scalar(standby.Spec, "stop_grace_period"));
            Assert.True(grace >= TimeSpan.FromSeconds(120), $"{standby.Name}: stop_grace_period {grace} must cover PGSTANDBY_STOP_TIMEOUT_SECONDS (60) + 15 s");
            Assert.False(Has(standby.Spec, "ports"), standby.Name + " needs no inbound port");
            Assert.False(Has(standby.Spec, "network_mode"), standby.Name);
            Assert.False(Has(standby.Spec, "healthcheck"), standby.Name + ": the image's HEALTHCHECK (pgstandby health) is the one that knows when a restart helps");
        });
    }

    [Fact]
    public void EachStandby_DropsEveryCapabilityButTheComposeFilesSix()
    {
        var compose = Map(Map(ComposeFile.Load(), "services"), "standby");

        Assert.All(Standbys, standby =>
        {
            Assert.Equal(["ALL"], Strings(standby.Spec, "cap_drop"));
            Assert.Equal(Strings(compose, "cap_add").Order(StringComparer.Ordinal), Strings(standby.Spec, "cap_add").Order(StringComparer.Ordinal));
            Assert.False(Has(standby.Spec, "privileged"));
        });
    }

    [Fact]
    public void EachStandby_ReadsThePasswordFromAnExternalSecret_NeverFromAVariable()
    {
        var secrets = Map(Root, "secrets");

        Assert.All(Standbys, standby =>
        {
            var environment = Map(standby.Spec, "environment");
            Assert.False(Has(environment, "PG_REPLICATION_PASSWORD"), standby.Name);
            var secret = Assert.Single(Sequence(standby.Spec, "secrets").Children);
            Assert.Equal("/run/secrets/" + Scalar(secret, "target"), Scalar(environment, "PG_REPLICATION_PASSWORD_FILE"));
            Assert.Equal("true", Scalar(Map(secrets, Scalar(secret, "source")), "external"));
        });
    }

    [Fact]
    public void EveryVariable_IsTheReadmes_AndEverySubstitutionIsDocumented()
    {
        var documented = ReadmeConfiguration.Variables();
        var guide = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var text = string.Join('\n', File.ReadAllLines(Path.Combine(Folder, "stack.yml")).Where(l => !l.TrimStart().StartsWith('#')));

        Assert.All(Standbys, standby =>
        {
            var environment = Map(standby.Spec, "environment").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
            Assert.Contains("BACKREST_PRIMARY_HOST", environment);
            Assert.Equal("pgstandby", Scalar(Map(standby.Spec, "environment"), "BACKREST_PRIMARY_USER"));
            Assert.All(environment, name => Assert.True(documented.Contains(name), $"{standby.Name}: {name} is not in the README's Configuration table"));
        });
        var substituted = SubstitutionRegex().Matches(text).Select(m => m.Groups["name"].Value).Distinct().ToList();
        Assert.Contains("PGSTANDBY_IMAGE", substituted);
        Assert.All(substituted, name => Assert.True(
            documented.Contains(name) || guide.Contains("`" + name + "`", StringComparison.Ordinal),
            name + " is substituted by the stack file but neither in the README's Configuration table nor in deploy/swarm/README.md"));
    }

    [Fact]
    public void Network_IsAnAttachableOverlay()
    {
        var networks = Map(Root, "networks");
        Assert.All(Standbys, standby => Assert.All(Strings(standby.Spec, "networks"), name =>
        {
            Assert.Equal("overlay", Scalar(Map(networks, name), "driver"));
            Assert.Equal("true", Scalar(Map(networks, name), "attachable"));
        }));
    }

    private static string StandbyName(YamlMappingNode spec)
    {
        var environment = Map(spec, "environment");
        var names = NameVariables.Where(n => Has(environment, n)).Select(n => Scalar(environment, n)).ToList();
        return Assert.Single(names);
    }

    private static IReadOnlyList<string> Constraints(YamlMappingNode spec) => Strings(Map(Map(spec, "deploy"), "placement"), "constraints");

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, "stack.yml")))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    [GeneratedRegex(@"^node\.(hostname|id|labels\.[A-Za-z0-9._-]+) *== *\S+$")]
    private static partial Regex ConstraintRegex();

    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)")]
    private static partial Regex SubstitutionRegex();
}
