using System.Globalization;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A slow link on loopback for what one world's primary sends from some of its ports (its sshd: restores and
/// archive-get; its postgres: the replication stream), for a standby that shares the host's network, as a
/// Swarm service with <c>--network host</c> does, and so cannot be put behind the isolated network's veth pair.
/// tc on lo: an htb qdisc without a default class (unclassified packets bypass it, unshaped), one rate-limited
/// class, and u32 filters sending only the given source ports to it; every other loopback packet goes through as before.
/// One at a time on this machine: it owns lo's root qdisc until disposed.
/// </summary>
internal sealed class LoopbackThrottle : IAsyncDisposable
{
    private bool _removed;

    private LoopbackThrottle()
    {
    }

    /// <summary>Throttles what leaves <paramref name="sourcePorts"/> (TCP over IPv4 on lo) to <paramref name="bitsPerSecond"/>.</summary>
    public static async Task<LoopbackThrottle> StartAsync(IReadOnlyList<int> sourcePorts, long bitsPerSecond)
    {
        var throttle = new LoopbackThrottle();
        try
        {
            var rate = bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
            await Tc("qdisc", "replace", "dev", "lo", "root", "handle", "1:", "htb");
            // Loopback packets are up to 64 KiB (GSO): the bucket holds several.
            await Tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", rate, "ceil", rate, "burst", "256kb", "cburst", "256kb");
            foreach (var port in sourcePorts)
            {
                await Tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "sport", port.ToString(CultureInfo.InvariantCulture), "0xffff", "flowid", "1:20");
            }
        }
        catch
        {
            await throttle.DisposeAsync();
            throw;
        }

        return throttle;
    }

    /// <summary>Back to loopback's full speed (idempotent).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_removed)
        {
            return;
        }

        _removed = true;
        await Shell.RunAsync("sh", ["-c", "tc qdisc del dev lo root 2>/dev/null || true"]);
    }

    private static Task<string> Tc(params string[] arguments) => Shell.RunAsync("tc", arguments);
}
