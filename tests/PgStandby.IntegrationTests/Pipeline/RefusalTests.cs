using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class RefusalTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task BadConfiguration_ExitsWith78NamingEveryVariable_BeforeWritingAnyFile()
    {
        await using var standby = world.NewStandby("bad-config");
        standby.Environment["BACKREST_PRIMARY_HOST"] = string.Empty;
        standby.Environment["PG_PORT"] = "54x";
        standby.Environment["PG_REPLICATION_PASSWORD"] = "line\nbreak";
        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("BACKREST_PRIMARY_HOST", standby.Output, StringComparison.Ordinal);
        Assert.Contains("PG_PORT", standby.Output, StringComparison.Ordinal);
        Assert.Contains("PG_REPLICATION_PASSWORD", standby.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("line\nbreak", standby.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(standby.RunDirectory));
        Assert.False(Directory.Exists(standby.SshDirectory));
    }

    [WorldFact]
    public async Task DataDirectoryWithForeignFiles_RefusedWith78_AndNothingRemoved()
    {
        await using var standby = world.NewStandby("foreign-data");
        Directory.CreateDirectory(standby.DataDirectory);
        var precious = Path.Combine(standby.DataDirectory, "precious.txt");
        await File.WriteAllTextAsync(precious, "not yours");

        // Owned by postgres, so the refusal is about what the folder holds, not about who owns it.
        await Shell.RunAsync("chown", ["-R", "postgres:postgres", standby.DataDirectory]);
        await standby.PreAuthorizeAsync();
        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("refused", standby.State);
        Assert.Equal("not yours", await File.ReadAllTextAsync(precious));
        Assert.Contains("precious.txt", standby.ReadStatus()!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await standby.RunVerbAsync("health")).ExitCode);
    }

    [WorldFact]
    public async Task RefusedDataDirectory_ReinitDescribesThenWithYesResyncs_ThenWorkerStreams()
    {
        await using var standby = world.NewStandby("reinit");
        Directory.CreateDirectory(standby.DataDirectory);
        var stray = Path.Combine(standby.DataDirectory, "stray.txt");
        await File.WriteAllTextAsync(stray, "left by someone");
        await standby.PreAuthorizeAsync();
        standby.Start();
        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));

        var described = await standby.RunVerbAsync("reinit");
        Assert.Equal(1, described.ExitCode);
        Assert.Contains("stray.txt", described.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pgstandby reinit --yes", described.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(stray), "reinit without --yes changed PGDATA");

        var reinit = await standby.RunVerbAsync("reinit", "--yes");
        Assert.True(reinit.ExitCode == 0, reinit.StandardOutput + reinit.StandardError);
        Assert.False(File.Exists(stray));
        Assert.True(File.Exists(Path.Combine(standby.DataDirectory, "PG_VERSION")));

        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        Assert.Equal(await world.SqlAsync("SELECT count(*) FROM pgbench_accounts"), await standby.ScalarAsync("SELECT count(*) FROM pgbench_accounts"));
    }

    [WorldFact]
    public async Task SecondStandbyOnThisMachine_SharesTheSpoolFolder_Exits78NamingItAndTheFirstGoesOn()
    {
        await using var first = world.NewStandby("first-of-two");
        await first.PreAuthorizeAsync();
        first.Start();
        await first.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        await using var second = world.NewStandby("second-of-two");
        second.Environment["BACKREST_SPOOL_PATH"] = first.Environment["BACKREST_SPOOL_PATH"];

        second.Start();

        Assert.Equal(78, await second.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains($"another pgstandby uses BACKREST_SPOOL_PATH={first.Environment["BACKREST_SPOOL_PATH"]}", second.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(second.DataDirectory));
        Assert.False(first.HasExited);
        Assert.Equal("streaming", first.State);
    }
}
