using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class PreRestoreTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task PrimaryReportsAnotherPgBackRestVersion_RefusedWith78NamingBothVersions()
    {
        await using var standby = world.NewStandby("version-mismatch");
        Directory.CreateDirectory(standby.SshDirectory);
        var key = Path.Combine(standby.SshDirectory, "id_ed25519");
        await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-f", key]);

        // A pgbackrest on the primary that reports another version, for this key only.
        var wrapper = Path.Combine(standby.Directory, "pgbackrest-2.99");
        await File.WriteAllTextAsync(wrapper, "#!/bin/sh\ncase \"$SSH_ORIGINAL_COMMAND\" in\n  \"pgbackrest version\") echo 'pgBackRest 2.99' ;;\n  *) exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\" ;;\nesac\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        var publicKey = string.Join(' ', (await File.ReadAllTextAsync(key + ".pub")).Split(' ').Take(2));
        await File.AppendAllTextAsync(Path.Combine(world.Root, "primary", "authorized_keys"), $"command=\"{wrapper}\",no-pty {publicKey}\n");
        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        var reason = standby.ReadStatus()!.Value.GetProperty("reason").GetString()!;
        Assert.Equal("refused", standby.State);
        Assert.Contains("pgBackRest versions differ", reason, StringComparison.Ordinal);
        Assert.Contains("pgBackRest 2.99", reason, StringComparison.Ordinal);
        Assert.Contains("pgBackRest 2.45", reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(standby.DataDirectory));
    }

    [WorldFact]
    public async Task PgdataOnTooSmallFileSystem_DiskFullUntilSpaceIsGiven_ThenStreams()
    {
        await using var standby = world.NewStandby("disk-full");
        await standby.PreAuthorizeAsync();
        var volume = await MountVolumeAsync(standby, "32m");
        try
        {
            standby.Start();
            await standby.WaitForStateAsync("disk_full", TimeSpan.FromMinutes(1));
            var reason = standby.ReadStatus()!.Value.GetProperty("reason").GetString()!;
            Assert.Contains(" free but backup ", reason, StringComparison.Ordinal);
            Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
            Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);

            await Shell.RunAsync("mount", ["-o", "remount,size=1g", volume]);

            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
            Assert.Equal(await world.SqlAsync("SELECT count(*) FROM pgbench_accounts"), await standby.ScalarAsync("SELECT count(*) FROM pgbench_accounts"));
        }
        finally
        {
            await standby.DisposeAsync();
            await Shell.RunAsync("umount", ["-l", volume]);
        }
    }

    [WorldFact]
    public async Task FileSystemFillsDuringRestore_DiskFullThenResumesWhenSpaceIsFreed()
    {
        await using var standby = world.NewStandby("disk-fills");
        await standby.PreAuthorizeAsync();
        var volume = await MountVolumeAsync(standby, "1g");
        var data = standby.Environment["PGDATA"]!;
        try
        {
            standby.Start();
            await Eventually.ThatAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "backup.manifest"))), TimeSpan.FromMinutes(1), () => standby.Output);

            // Other files on the same volume take the rest of it while pgBackRest writes. Not one file sized from df:
            // pgBackRest writes between df and fallocate, which then fails for want of the space it was told of.
            // Files of 16 MiB, then 1 MiB, then 64 KiB until none fits: at most 64 KiB stays free, whatever pgBackRest wrote meanwhile.
            var ballast = Path.Combine(volume, "ballast");
            Directory.CreateDirectory(ballast);
            await Shell.RunAsync("bash", ["-c", "i=0; for size in 16M 1M 64K; do while fallocate -l \"$size\" \"$1/$i\" 2>/dev/null; do i=$((i + 1)); done; done", "fill", ballast]);
            await standby.WaitForStateAsync("disk_full", TimeSpan.FromMinutes(2));
            Assert.Contains("file system is full", standby.ReadStatus()!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);

            Directory.Delete(ballast, recursive: true);

            // Whether pgBackRest or postgres hit the full disk first, the worker waits and goes on by itself.
            await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
            Assert.Equal(await world.SqlAsync("SELECT count(*) FROM pgbench_accounts"), await standby.ScalarAsync("SELECT count(*) FROM pgbench_accounts"));
        }
        finally
        {
            await standby.DisposeAsync();
            await Shell.RunAsync("umount", ["-l", volume]);
        }
    }

    /// <summary>A real small file system (tmpfs) holding PGDATA, as a volume of that size would.</summary>
    private static async Task<string> MountVolumeAsync(StandbyProcess standby, string size)
    {
        var volume = Path.Combine(standby.Directory, "volume");
        Directory.CreateDirectory(volume);
        await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size},mode=755", "pgstandby-it", volume]);
        standby.Environment["PGDATA"] = Path.Combine(volume, "data");
        return volume;
    }
}
