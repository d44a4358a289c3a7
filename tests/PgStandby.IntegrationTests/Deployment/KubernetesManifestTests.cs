using PgStandby.IntegrationTests.World;
using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>deploy/kubernetes: every manifest parses, and the StatefulSet keeps the worker's contract.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<Manifest> All = LoadFolder(Path.Combine(RepositoryPaths.Root, "deploy/kubernetes"));

    private static Manifest StatefulSet => Assert.Single(All, m => m.Kind == "StatefulSet");

    private static YamlMappingNode PodSpec => Map(Map(Map(StatefulSet.Root, "spec"), "template"), "spec");

    private static YamlMappingNode Worker => Named(PodSpec, "containers", "pgstandby");

    [Fact]
    public void EveryManifest_ParsesWithApiVersionKindAndName()
    {
        Assert.NotEmpty(All);
        Assert.All(All, m =>
        {
            Assert.False(string.IsNullOrEmpty(Scalar(m.Root, "apiVersion")), m.File);
            Assert.False(string.IsNullOrEmpty(m.Kind), m.File);
            if (m.Kind != "Kustomization")
            {
                Assert.False(string.IsNullOrEmpty(m.Name), m.File);
            }
        });
    }

    [Fact]
    public void NoManifest_OpensAHostPortOrTheHostNetwork()
    {
        Assert.All(All, m =>
        {
            Assert.DoesNotContain("hostPort", AllKeys(m.Root));
            Assert.DoesNotContain("hostNetwork", AllKeys(m.Root));
        });
    }

    [Fact]
    public void StatefulSet_StartsReplicasInParallel_EachWithItsOwnDataAndPgBackRestVolumes()
    {
        var spec = Map(StatefulSet.Root, "spec");
        Assert.Equal("Parallel", Scalar(spec, "podManagementPolicy"));
        var claims = Sequence(spec, "volumeClaimTemplates").Children.Select(c => Scalar(Map(c, "metadata"), "name")).ToList();
        Assert.Equal(["data", "pgbackrest"], claims);

        Assert.Equal("/var/lib/postgresql/data", Scalar(Named(Worker, "volumeMounts", "data"), "mountPath"));
        Assert.Equal("/var/lib/pgbackrest", Scalar(Named(Worker, "volumeMounts", "pgbackrest"), "mountPath"));
        Assert.True(int.Parse(Scalar(PodSpec, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture) > 60 + 15,
            "terminationGracePeriodSeconds must exceed the worker's stop budget (PGSTANDBY_STOP_TIMEOUT_SECONDS 60 + 15 s)");
    }

    [Fact]
    public void StatefulSet_ProbesTheWorkersOwnVerdict()
    {
        Assert.Equal(["pgstandby", "health"], Strings(Map(Map(Worker, "livenessProbe"), "exec"), "command"));
        Assert.Equal(["pgstandby", "health", "--ready"], Strings(Map(Map(Worker, "readinessProbe"), "exec"), "command"));
        if (Has(Worker, "startupProbe"))
        {
            Assert.Equal(["pgstandby", "health"], Strings(Map(Map(Worker, "startupProbe"), "exec"), "command"));
        }
    }

    [Fact]
    public void StatefulSet_ReadsTheReplicationPasswordFromASecretFile_NeverFromAValue()
    {
        var env = Sequence(Worker, "env").Children.Select(e => Scalar(e, "name")).ToList();
        Assert.DoesNotContain("PG_REPLICATION_PASSWORD", env);
        var file = Scalar(Named(Worker, "env", "PG_REPLICATION_PASSWORD_FILE"), "value");

        var mount = Sequence(Worker, "volumeMounts").Children.OfType<YamlMappingNode>()
            .Single(m => file.StartsWith(Scalar(m, "mountPath") + "/", StringComparison.Ordinal));
        var volume = Named(PodSpec, "volumes", Scalar(mount, "name"));
        Assert.Equal("pgstandby-replication", Scalar(Map(volume, "secret"), "secretName"));
        Assert.Equal("true", Scalar(mount, "readOnly"));
    }

    [Fact]
    public void StatefulSet_GivesEveryReplicaTheSameKey_AsPostgresOwnedFilesInTheSshFolder()
    {
        var sshMount = Named(Worker, "volumeMounts", "ssh");
        Assert.Equal("/var/lib/postgresql/.ssh", Scalar(sshMount, "mountPath"));
        Assert.True(Has(Named(PodSpec, "volumes", "ssh"), "emptyDir"), "the SSH folder is writable (known_hosts) and refilled from the Secret");
        Assert.Equal("pgstandby-ssh", Scalar(Map(Named(PodSpec, "volumes", "ssh-key-secret"), "secret"), "secretName"));

        var copy = Named(PodSpec, "initContainers", "ssh-key");
        Assert.Equal(["ssh", "ssh-key-secret"], Sequence(copy, "volumeMounts").Children.Select(m => Scalar(m, "name")).Order(StringComparer.Ordinal));
        var script = string.Join(' ', Strings(copy, "command"));
        Assert.Contains("-m 600 -o postgres -g postgres", script, StringComparison.Ordinal);
        Assert.Contains("-m 700 -o postgres -g postgres", script, StringComparison.Ordinal);

        // A folder refilled at every start would trust any host key anew: the primary's key is pinned.
        var pinned = Map(Map(Named(Worker, "env", "BACKREST_PRIMARY_HOST_KEY"), "valueFrom"), "secretKeyRef");
        Assert.Equal("pgstandby-ssh", Scalar(pinned, "name"));
    }

    [Fact]
    public void StatefulSet_ForbidsPrivilegeEscalation_InEveryContainer()
    {
        var containers = Sequence(PodSpec, "containers").Children.Concat(Sequence(PodSpec, "initContainers").Children);
        Assert.All(containers, c =>
        {
            var security = Map(c, "securityContext");
            Assert.Equal("false", Scalar(security, "allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], Strings(Map(security, "capabilities"), "drop"));
            Assert.False(Has(security, "privileged") && Scalar(security, "privileged") == "true");
        });
    }

    [Fact]
    public void ReadService_RoutesPostgresToTheStatefulSetsPods()
    {
        var service = Assert.Single(All, m => m.Kind == "Service" && m.Name == "pgstandby-read");
        var labels = Map(Map(Map(Map(StatefulSet.Root, "spec"), "template"), "metadata"), "labels");
        foreach (var (key, value) in Map(Map(service.Root, "spec"), "selector").Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(labels, ((YamlScalarNode)key).Value!));
        }

        var port = Assert.Single(Sequence(Map(service.Root, "spec"), "ports").Children);
        Assert.Equal("5432", Scalar(port, "port"));
        Assert.Equal(Scalar(Named(Worker, "ports", "postgres"), "name"), Scalar(port, "targetPort"));
        var governing = Scalar(Map(StatefulSet.Root, "spec"), "serviceName");
        Assert.Equal("None", Scalar(Map(Assert.Single(All, m => m.Kind == "Service" && m.Name == governing).Root, "spec"), "clusterIP"));
    }
}
