using System.Globalization;
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
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var folder = Path.Combine(world.Root, "sshd-no-sessions");
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "sshd_config");
        var pidFile = Path.Combine(folder, "sshd.pid");
        var lines = (await File.ReadAllLinesAsync(Path.Combine(world.PrimaryDirectory, "sshd_config")))
            .Select(l => l.StartsWith("Port ", StringComparison.Ordinal) ? "Port " + port
                : l.StartsWith("PidFile ", StringComparison.Ordinal) ? "PidFile " + pidFile
                : l.StartsWith("MaxSessions ", StringComparison.Ordinal) ? "MaxSessions 0"
                : l);
        await File.WriteAllLinesAsync(config, lines);
        await Shell.RunAsync("/usr/sbin/sshd", ["-f", config, "-E", Path.Combine(folder, "sshd.log")]);
        try
        {
            await using var standby = world.NewStandby("no-sessions");
            await standby.PreAuthorizeAsync();
            standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = port;
            standby.Start();

            await standby.WaitForStateAsync("waiting_for_primary", TimeSpan.FromMinutes(1));
            var reason = standby.ReadStatus()!.Value.GetProperty("reason").GetString();
            Assert.Contains("failed during pgbackrest", reason, StringComparison.Ordinal);

            // Retried (PGSTANDBY_RETRY_SECONDS=1: three more logins), never exited 70, PGDATA untouched.
            var log = Path.Combine(folder, "sshd.log");
            await Eventually.ThatAsync(
                async () => (await File.ReadAllLinesAsync(log)).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal)) >= 4,
                TimeSpan.FromMinutes(1),
                () => "the worker did not log in again: " + standby.Output);
            Assert.False(standby.HasExited, standby.Output);
            Assert.Equal("waiting_for_primary", standby.State);
            Assert.Empty(Directory.EnumerateFileSystemEntries(standby.DataDirectory));
        }
        finally
        {
            if (File.Exists(pidFile))
            {
                await Shell.RunAsync("kill", [(await File.ReadAllTextAsync(pidFile)).Trim()]);
            }
        }
    }
}
