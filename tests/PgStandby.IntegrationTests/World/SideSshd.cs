using System.Globalization;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A second sshd of the world's primary on a port of its own, from the world's sshd_config (same host key, same
/// authorized keys, same addresses) with lines added or replaced: a primary's sshd in a state the world's own must
/// not be put in, for one test. Stopped on dispose.
/// </summary>
internal sealed class SideSshd : IAsyncDisposable
{
    private SideSshd(string folder, int port)
    {
        Folder = folder;
        Port = port;
    }

    /// <summary>Its folder under the world: its sshd_config, pid file and log.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>sshd's own log (-E): "Accepted publickey", "Starting session", refusals.</summary>
    public string LogPath => Path.Combine(Folder, "sshd.log");

    private string PidFile => Path.Combine(Folder, "sshd.pid");

    /// <param name="replace">Each line of the world's sshd_config whose first word is a key gets that key's value instead.</param>
    /// <param name="append">Lines added at the end, where the world's config ends inside its <c>Match User postgres</c> block.</param>
    public static async Task<SideSshd> StartAsync(PrimaryWorld world, string name, IReadOnlyDictionary<string, string> replace, IReadOnlyList<string> append)
    {
        var folder = Path.Combine(world.Root, name);
        Directory.CreateDirectory(folder);
        var sshd = new SideSshd(folder, FreePort.Next());
        var values = new Dictionary<string, string>(replace)
        {
            ["Port"] = sshd.Port.ToString(CultureInfo.InvariantCulture),
            ["PidFile"] = sshd.PidFile,
        };
        var lines = (await File.ReadAllLinesAsync(Path.Combine(world.PrimaryDirectory, "sshd_config")))
            .Select(l => values.TryGetValue(l.Split(' ')[0], out var value) ? l.Split(' ')[0] + " " + value : l)
            .Concat(append);
        var config = Path.Combine(folder, "sshd_config");
        await File.WriteAllLinesAsync(config, lines);
        await Shell.RunAsync("/usr/sbin/sshd", ["-f", config, "-E", sshd.LogPath]);
        return sshd;
    }

    /// <summary>The lines of its log so far.</summary>
    public async Task<string[]> LogLinesAsync() => File.Exists(LogPath) ? await File.ReadAllLinesAsync(LogPath) : [];

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(PidFile))
        {
            await Shell.RunAsync("kill", [(await File.ReadAllTextAsync(PidFile)).Trim()]);
        }
    }
}
