using System.Globalization;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// An isolated network for a standby, made by tests/world/netns-up.sh: network namespace pgs-NAME joined
/// to this machine by a veth pair only (10.213.N.2 inside, 10.213.N.1 on the host side, where the
/// primary listens too). A standby started in it reaches the primary through that pair alone, so
/// cutting the pair is a network partition. The test still queries the standby over its Unix socket.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private readonly string _shortName;
    private bool _disposed;

    private NetworkNamespace(string shortName, IReadOnlyDictionary<string, string> values)
    {
        _shortName = shortName;
        Name = values["NETNS"];
        Slot = values["N"];
        HostInterface = values["HOST_IF"];
        HostAddress = values["HOST_ADDRESS"];
        NamespaceAddress = values["NS_ADDRESS"];
        Cidr = values["CIDR"];
    }

    /// <summary>The namespace's name, for <c>ip netns exec</c>.</summary>
    public string Name { get; }

    /// <summary>N in 10.213.N.0/30.</summary>
    public string Slot { get; }

    public string HostInterface { get; }

    /// <summary>The host side of the pair: the address a standby in the namespace uses for the primary.</summary>
    public string HostAddress { get; }

    public string NamespaceAddress { get; }

    public string Cidr { get; }

    public bool IsPartitioned { get; private set; }

    /// <param name="shortName">Unique on this machine while it exists (the world's id and a purpose).</param>
    public static async Task<NetworkNamespace> CreateAsync(string shortName)
    {
        var output = await Shell.RunAsync(Script("netns-up.sh"), [shortName], TimeSpan.FromMinutes(1));
        return new NetworkNamespace(shortName, KeyValues.Parse(output));
    }

    /// <summary>Cuts the pair: packets between the namespace and the host are dropped, no connection is reset.</summary>
    public async Task PartitionAsync()
    {
        await Shell.RunAsync("ip", ["link", "set", HostInterface, "down"]);
        IsPartitioned = true;
    }

    public async Task HealAsync()
    {
        await Shell.RunAsync("ip", ["link", "set", HostInterface, "up"]);
        IsPartitioned = false;
    }

    /// <summary>
    /// Limits what the host sends into the namespace (the primary's side of every SSH and replication
    /// session) to <paramref name="bitsPerSecond"/>: a slow link, for a restore that lasts a while.
    /// </summary>
    public async Task ThrottleAsync(long bitsPerSecond)
    {
        await Shell.RunAsync("tc", ["qdisc", "replace", "dev", HostInterface, "root", "tbf", "rate", bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit", "burst", "64kb", "latency", "2s"]);
    }

    /// <summary>Back to the link's full speed.</summary>
    public async Task UnthrottleAsync()
    {
        await Shell.RunAsync("tc", ["qdisc", "del", "dev", HostInterface, "root"]);
    }

    /// <summary>The processes running in the namespace (a test's standby and its children).</summary>
    public async Task<IReadOnlyList<int>> ProcessIdsAsync()
    {
        var output = await Shell.RunAsync("ip", ["netns", "pids", Name]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    /// <summary>Kills what still runs in the namespace, removes the pair and the namespace.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Shell.RunAsync(Script("netns-down.sh"), [_shortName, Slot], TimeSpan.FromMinutes(1));
    }

    private static string Script(string name) => Path.Combine(RepositoryPaths.Root, "tests", "world", name);
}
