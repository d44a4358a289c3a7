using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class OwnershipTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task SecondWorkerOnSamePgdata_ExitsWith75_FirstKeepsStreaming()
    {
        await using var first = world.NewStandby("lock-first");
        await first.PreAuthorizeAsync();
        first.Start();
        await first.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        await using var second = world.NewStandby("lock-second");
        second.Environment["PGDATA"] = first.DataDirectory;
        second.Start();

        Assert.Equal(75, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("another pgstandby already runs on " + first.DataDirectory, second.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        Assert.Equal("streaming", first.State);
        Assert.False(Directory.Exists(second.RunDirectory));
    }

    [WorldFact]
    public async Task WorkerRunAsPostgres_ReachesStreaming_WithFilesOwnedByPostgres()
    {
        var binaries = Path.Combine(world.Root, "bin-as-postgres");
        await Shell.RunAsync("cp", ["-a", Path.GetDirectoryName(world.Binary)!, binaries]);
        await Shell.RunAsync("chmod", ["-R", "a+rX", binaries]);
        await using var standby = world.NewStandby("as-postgres");
        Directory.CreateDirectory(standby.Directory);
        await Shell.RunAsync("chown", ["postgres:postgres", standby.Directory]);
        standby.RunAsPostgresFrom = Path.Combine(binaries, "pgstandby");
        standby.Start();

        await standby.WaitForStateAsync("waiting_for_key_authorization", TimeSpan.FromMinutes(1));
        await world.AuthorizeAsync((await standby.RunVerbAsync("show-key")).StandardOutput.Trim());
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        var owners = await Shell.RunAsync("stat", ["-c", "%U", standby.DataDirectory, Path.Combine(standby.SshDirectory, "id_ed25519"), Path.Combine(standby.RunDirectory, "pgpass")]);
        Assert.Equal(["postgres", "postgres", "postgres"], owners.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
    }

    [WorldFact]
    public async Task WorkerAsRoot_LinksPlantedInTheFoldersPostgresOwns_FollowsNoneAndStreams()
    {
        await using var standby = world.NewStandby("planted-links");
        var victim = Path.Combine(standby.Directory, "victim");
        Directory.CreateDirectory(standby.RunDirectory);
        await File.WriteAllTextAsync(victim, "root:secret-hash:19000:0:99999:7:::\n");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        // As postgres would in the run folder it owns: links at the final names and at the old fixed temporary ones.
        string[] names = ["pgpass", "pgpass.tmp", "status.json", "status.json.tmp", "postgresql.conf.tmp", "pg_hba.conf"];
        foreach (var name in names)
        {
            File.CreateSymbolicLink(Path.Combine(standby.RunDirectory, name), victim);
        }

        await Shell.RunAsync("chown", ["-hR", "postgres:postgres", standby.RunDirectory]);
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        Assert.Equal("root:secret-hash:19000:0:99999:7:::\n", await File.ReadAllTextAsync(victim));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(victim));
        var passfile = new FileInfo(Path.Combine(standby.RunDirectory, "pgpass"));
        Assert.Null(passfile.LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, passfile.UnixFileMode);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(standby.RunDirectory));
        Assert.Contains("Replaced the symbolic link " + passfile.FullName, standby.Output, StringComparison.Ordinal);
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
    }
}
