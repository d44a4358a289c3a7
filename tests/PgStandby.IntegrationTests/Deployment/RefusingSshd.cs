using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// An sshd on this host that lets no key in (no authorized_keys at all): a primary that has not authorized a
/// standby yet, for a standby in a Swarm container, which reaches the host through the engine's docker_gwbridge
/// (its loopback is its own). Listens on one host address and a free port; stopped and removed on dispose.
/// </summary>
internal sealed class RefusingSshd : IAsyncDisposable
{
    private RefusingSshd(string folder, IPAddress address, int port)
    {
        Folder = folder;
        Address = address;
        Port = port;
    }

    public string Folder { get; }

    /// <summary>The host's address it listens on: docker_gwbridge's when the engine has made it, else another non-loopback one.</summary>
    public IPAddress Address { get; }

    public int Port { get; }

    private string PidFile => Path.Combine(Folder, "sshd.pid");

    public static async Task<RefusingSshd> StartAsync(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), name + "-sshd");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation folder
        var address = HostAddress();
        var sshd = new RefusingSshd(folder, address, FreePortOn(address));
        var hostKey = Path.Combine(folder, "ssh_host_ed25519_key");
        await Shell.RunAsync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
        var config = Path.Combine(folder, "sshd_config");
        await File.WriteAllLinesAsync(config,
        [
            "Port " + sshd.Port.ToString(CultureInfo.InvariantCulture),
            "ListenAddress " + address,
            "HostKey " + hostKey,
            "PidFile " + sshd.PidFile,
            "AuthorizedKeysFile none",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
        ]);
        await Shell.RunAsync("/usr/sbin/sshd", ["-f", config, "-E", Path.Combine(folder, "sshd.log")]);
        return sshd;
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(PidFile))
        {
            await Shell.RunAsync("kill", [(await File.ReadAllTextAsync(PidFile)).Trim()]);
        }

        Directory.Delete(Folder, recursive: true);
    }

    private static IPAddress HostAddress()
    {
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(i => i.Name == "docker_gwbridge" ? 0 : i.OperationalStatus == OperationalStatus.Up ? 1 : 2)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        Assert.True(candidates.Count > 0, "this host has no IPv4 address but loopback: a Swarm container cannot reach it");
        return candidates[0];
    }

    private static int FreePortOn(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
