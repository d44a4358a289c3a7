using System.Diagnostics;
using System.Globalization;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>
/// The link to the primary's sshd drops every packet (a NAT or firewall that forgot the connection, a cable pulled)
/// while the worker waits for <c>pgbackrest info</c>: nothing is reset, so only a bound on the command notices.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class SshLinkCutTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>SshNetRemoteShell's bound on one remote command, plus the time to give the session up.</summary>
    private static readonly TimeSpan Noticed = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(30);

    [WorldFact]
    public async Task LinkCutWhileInfoRuns_WaitsForThePrimaryNamingTheConnection_RestoresOnceTheLinkIsBack()
    {
        // The primary's side holds `pgbackrest info` until the test lets it go: the cut lands while the worker waits
        // for the answer, on a connection that is up and idle. The world's forced command runs everything else.
        var gate = Path.Combine(world.Root, "held-info");
        Directory.CreateDirectory(gate);
        await Shell.RunAsync("chown", ["postgres:postgres", gate]);
        var closed = Path.Combine(gate, "closed");
        var held = Path.Combine(gate, "held");
        await File.WriteAllTextAsync(closed, string.Empty);
        var wrapper = Path.Combine(gate, "hold-info");
        await File.WriteAllTextAsync(wrapper, $$"""
            #!/bin/bash
            # ForceCommand of the side sshd: holds pgbackrest info while {{closed}} exists, then runs the world's forced command.
            if [[ ${SSH_ORIGINAL_COMMAND-} == *' info' && -e {{closed}} ]]; then
                : >{{held}}
                while [[ -e {{closed}} ]]; do sleep 0.1; done
            fi
            exec {{Path.Combine(world.PrimaryDirectory, "pgbackrest-only")}}

            """);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var sshd = await SideSshd.StartAsync(world, "sshd-held-info", new Dictionary<string, string>(), ["    ForceCommand " + wrapper]);

        await using var standby = world.NewIsolatedStandby("link-cut");
        var network = standby.Network!;
        await standby.PreAuthorizeAsync();
        standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = sshd.Port.ToString(CultureInfo.InvariantCulture);
        standby.Start();
        await Eventually.ThatAsync(() => Task.FromResult(File.Exists(held)), Long, () => "pgbackrest info never reached the primary:\n" + standby.Output);
        Assert.Equal(0, standby.CountLog("State waiting_for_primary"));

        string reason;
        var cut = Stopwatch.StartNew();
        try
        {
            await network.PartitionAsync();
            await standby.WaitForLogAsync("State waiting_for_primary: pgbackrest info on " + network.HostAddress, Noticed);
            cut.Stop();
            output.WriteLine($"waiting_for_primary {cut.Elapsed.TotalSeconds:0} s after the cut");
            reason = standby.Output.Split('\n').First(l => l.Contains("State waiting_for_primary: pgbackrest info on", StringComparison.Ordinal));
            Assert.False(standby.HasExited, "the worker exited when the link was cut:\n" + standby.Output);
            Assert.Equal("waiting_for_primary", standby.State);
            Assert.Equal(0, standby.CountLog("restore of backup"));
        }
        finally
        {
            File.Delete(closed);
            await network.HealAsync();
        }

        Assert.Contains("did not answer within", reason, StringComparison.Ordinal);
        Assert.Contains("over SSH (a connection dropped on the way", reason, StringComparison.Ordinal);

        var rows = await world.WriteProbeRowsAsync("after-link-cut");
        await standby.WaitForStateAsync("streaming", Long);
        await standby.WaitForProbeAsync(rows, TimeSpan.FromMinutes(1));
        Assert.Equal(1, standby.CountLog("restore of backup"));
        Assert.False(standby.HasExited);
    }
}
