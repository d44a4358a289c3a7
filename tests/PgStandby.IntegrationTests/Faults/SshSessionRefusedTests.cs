using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>
/// The primary's sshd lets the standby log in, then refuses every session (MaxSessions 0, as an sshd at its limit
/// does): an error after the connection is up, which must read as the primary being unavailable, never end the worker.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class SshSessionRefusedTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task SessionsRefusedAfterLogin_WaitsForThePrimaryWithTheReason_WorkerKeepsRunning()
    {
        await using var sshd = await SideSshd.StartAsync(world, "sshd-no-sessions", new Dictionary<string, string> { ["MaxSessions"] = "0" }, []);
        await using var standby = world.NewStandby("no-sessions");
        await standby.PreAuthorizeAsync();
        standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        standby.Start();

        await standby.WaitForStateAsync("waiting_for_primary", TimeSpan.FromMinutes(1));
        var reason = standby.ReadStatus()!.Value.GetProperty("reason").GetString();
        Assert.Contains("failed during pgbackrest", reason, StringComparison.Ordinal);

        // Retried (PGSTANDBY_RETRY_SECONDS=1: three more logins), never exited 70, PGDATA untouched.
        await Eventually.ThatAsync(
            async () => (await sshd.LogLinesAsync()).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal)) >= 4,
            TimeSpan.FromMinutes(1),
            () => "the worker did not log in again: " + standby.Output);
        Assert.False(standby.HasExited, standby.Output);
        Assert.Equal("waiting_for_primary", standby.State);
        Assert.Empty(Directory.EnumerateFileSystemEntries(standby.DataDirectory));
    }
}
