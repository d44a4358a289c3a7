using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed partial class SshMultiplexingTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task Bootstrap_PgBackRestsSshConnectionsShareOneLogin_AndNoneOutlivesTheWorker()
    {
        var sshdLog = LogMark.At(Path.Combine(world.Root, "primary", "sshd.log"));
        await using var standby = world.NewStandby("ssh-mux");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        // sshd (LogLevel VERBOSE) names every session with its connection's client port and its number on that
        // connection. The worker's own info and version are sessions 0 and 1 of one SSH.NET connection; OpenSSH's
        // client (pgBackRest's, through the worker's wrapper) is told apart by its key query first ("Postponed
        // publickey"). A second session on one of OpenSSH's connections is a multiplexed one: the restore's main
        // process holds the first, and its local processes start after it, so they always find its socket.
        // (Two connections opened at the same instant may both become masters, as archive-get's after a long pause
        // can: not every connection is shared, one is.)
        var text = await sshdLog.ReadSinceAsync();

        var sessions = Session().Matches(text).GroupBy(m => m.Groups["port"].Value).ToDictionary(g => g.Key, g => g.Max(m => int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        var openSsh = OpenSshLogin().Matches(text).Select(m => m.Groups["port"].Value).ToHashSet();
        Assert.True(sessions.Any(c => openSsh.Contains(c.Key) && c.Value >= 1), "no connection of pgBackRest's SSH carried a second session:\n" + text);
        Assert.True(sessions.Count < 6, $"{sessions.Count} SSH logins for a restore and its first WAL, where one shared connection does:\n{text}");

        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        var left = standby.RunningProcesses();
        Assert.True(left.Count == 0, "processes of the standby still ran when the worker had exited (the shared SSH connection?):\n" + string.Join('\n', left));
    }

    [WorldFact]
    public async Task PrimaryAllowsOneSessionPerConnection_StandbyStillRestoresAndStreams()
    {
        // A hardened sshd may allow a single session per connection: the worker's info and version, and
        // pgBackRest's connections that find the shared one full, must then each work on their own.
        var config = Path.Combine(world.Root, "primary", "sshd_config");
        var original = await File.ReadAllTextAsync(config);
        Assert.Contains("\nMaxSessions 100\n", original, StringComparison.Ordinal);
        await using var standby = world.NewStandby("one-session");
        await standby.PreAuthorizeAsync();
        try
        {
            await ReloadSshdAsync(config, original.Replace("\nMaxSessions 100\n", "\nMaxSessions 1\n", StringComparison.Ordinal));
            standby.Start();
            await standby.WaitForStateAsync("streaming", Long);
            Assert.Equal(await world.SqlAsync("SELECT count(*) FROM pgbench_accounts"), await standby.ScalarAsync("SELECT count(*) FROM pgbench_accounts"));
        }
        finally
        {
            await ReloadSshdAsync(config, original);
        }
    }

    /// <summary>sshd re-reads its configuration on SIGHUP; connections already open keep the old one.</summary>
    private async Task ReloadSshdAsync(string config, string text)
    {
        await File.WriteAllTextAsync(config, text);
        await Shell.RunAsync("kill", ["-HUP", world.SshdProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Task.Delay(TimeSpan.FromSeconds(1)); // sshd re-executes itself to read it
    }

    [GeneratedRegex(@"Starting session: .* port (?<port>\d+) id (?<id>\d+)")]
    private static partial Regex Session();

    [GeneratedRegex(@"Postponed publickey for \S+ from \S+ port (?<port>\d+)")]
    private static partial Regex OpenSshLogin();
}
