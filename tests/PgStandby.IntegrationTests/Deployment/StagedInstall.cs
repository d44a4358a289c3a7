using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/systemd/install.sh run with --root into a throwaway folder: the unit, the env file and the
/// published binary laid out exactly where the unit names them, without touching this machine's /.
/// </summary>
internal sealed class StagedInstall : IDisposable
{
    private StagedInstall(string root, string output)
    {
        Root = root;
        Output = output;
    }

    public string Root { get; }

    public string Output { get; }

    public string UnitPath => Path.Combine(Root, "etc/systemd/system/pgstandby.service");

    public string EnvironmentFile => Path.Combine(Root, "etc/pgstandby/pgstandby.env");

    public string Binary => Path.Combine(Root, "opt/pgstandby/pgstandby");

    public static async Task<StagedInstall> CreateAsync()
    {
        var published = Path.GetDirectoryName(await PublishedBinary.GetAsync())!;
        // Under /tmp with the default 755 modes, so the postgres user can reach the staged binary.
        var root = Path.Combine(Path.GetTempPath(), "pgstandby-systemd-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var script = Path.Combine(RepositoryPaths.Root, "deploy/systemd/install.sh");
        var output = await Shell.RunAsync(script, ["--root", root, "--from", published], TimeSpan.FromMinutes(2));
        return new StagedInstall(root, output);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
