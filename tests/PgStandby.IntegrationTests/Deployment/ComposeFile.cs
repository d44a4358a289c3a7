using YamlDotNet.RepresentationModel;
using static PgStandby.IntegrationTests.Deployment.Manifest;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>deploy/docker/docker-compose.yml, parsed: checked by <see cref="ComposeExampleTests"/>, and the source of the
/// standby's hardening the image test runs the container with.</summary>
internal static class ComposeFile
{
    public static readonly string Folder = Path.Combine(World.RepositoryPaths.Root, "deploy", "docker");

    public static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, "docker-compose.yml")))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    /// <summary>podman run options for the standby service's cap_drop, cap_add, security_opt and tmpfs, as compose sets them.</summary>
    public static IReadOnlyList<string> StandbyHardening()
    {
        var standby = Map(Map(Load(), "services"), "standby");
        return
        [
            .. Strings(standby, "cap_drop").Select(c => "--cap-drop=" + c),
            .. Strings(standby, "cap_add").Select(c => "--cap-add=" + c),
            .. Strings(standby, "security_opt").Select(o => "--security-opt=" + o),
            .. Strings(standby, "tmpfs").Select(t => "--tmpfs=" + t),
        ];
    }
}
