using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class FirstBootTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task FreshStandby_KeyNotYetAuthorized_WaitsThenStreamsOnceAuthorizedWithoutRestart()
    {
        await using var standby = world.NewStandby("first-boot");
        standby.Start();

        await standby.WaitForStateAsync("waiting_for_key_authorization", Long);
        var pid = standby.ProcessId;
        var shown = await standby.RunVerbAsync("show-key");
        var key = shown.StandardOutput.Trim();
        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith("ssh-ed25519 ", key, StringComparison.Ordinal);
        Assert.Contains("\n" + key + "\n", standby.Output, StringComparison.Ordinal); // a line an operator copies as is
        Assert.Equal(key, standby.ReadStatus()!.Value.GetProperty("public_key").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(standby.SshDirectory, "id_ed25519")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(standby.SshDirectory));
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode); // a restart would not authorize the key
        Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);

        await world.AuthorizeAsync(key);

        await standby.WaitForStateAsync("streaming", Long);
        Assert.Equal(pid, standby.ProcessId);
        Assert.False(standby.HasExited);
        var health = await standby.RunVerbAsync("health");
        Assert.True(health.ExitCode == 0, health.StandardOutput);
        Assert.Null(standby.ReadStatus()!.Value.GetProperty("public_key").GetString());
    }

    [WorldFact]
    public async Task StreamingStandby_RowsCommittedOnPrimary_AppearOnStandby()
    {
        await using var standby = world.NewStandby("rows");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        var note = "row-" + Guid.NewGuid().ToString("N");
        await world.SqlAsync($"INSERT INTO probe (note) VALUES ('{note}')");

        await Eventually.ThatAsync(
            async () => await standby.ScalarAsync($"SELECT count(*) FROM probe WHERE note = '{note}'") == "1",
            TimeSpan.FromSeconds(30),
            () => "the row never reached the standby");
        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
        Assert.Equal("rows", await world.SqlAsync("SELECT application_name FROM pg_stat_replication WHERE application_name = 'rows'"));
    }

    [WorldFact]
    public async Task Standby_ReplicationPassword_NeverInLogsArgumentsOrReadableFiles()
    {
        await using var standby = world.NewStandby("secrets");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var password = world.ReplicationPassword;

        Assert.DoesNotContain(password, standby.Output, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(standby.Directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/data/", StringComparison.Ordinal) && !IsSocket(f));
        foreach (var file in files)
        {
            if ((await File.ReadAllTextAsync(file)).Contains(password, StringComparison.Ordinal))
            {
                Assert.Equal(Path.Combine(standby.RunDirectory, "pgpass"), file); // its one home
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        foreach (var pid in Leftovers.Find(standby.DataDirectory, standby.Environment["BACKREST_CONFIG"]!).Append(standby.ProcessId))
        {
            var arguments = await File.ReadAllTextAsync($"/proc/{pid}/cmdline");
            Assert.DoesNotContain(password, arguments, StringComparison.Ordinal);
        }
    }

    /// <summary>postgres's socket and the SSH control socket (when the shared connection still runs): nothing to read.</summary>
    private static bool IsSocket(string path) =>
        Path.GetFileName(path).StartsWith(".s.PGSQL", StringComparison.Ordinal) || Path.GetFileName(path) == "ssh-mux";
}
