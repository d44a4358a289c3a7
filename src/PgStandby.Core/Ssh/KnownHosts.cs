using System.Security.Cryptography;
using System.Text;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Ssh;

/// <summary>
/// The known_hosts file in the standby's SSH folder, shared by SSH.NET (in the worker) and OpenSSH
/// (pgBackRest's cmd-ssh), so both trust exactly the same primary host key.
/// </summary>
public sealed class KnownHosts(string path)
{
    public string Path { get; } = path;

    /// <summary>The host field OpenSSH uses: "host" on port 22, "[host]:port" otherwise.</summary>
    public static string HostField(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>Keys recorded for this host (plain or hashed entries), by key type.</summary>
    public IReadOnlyList<SshKeyBlob> Find(string host, int port)
    {
        var field = HostField(host, port);
        var found = new List<SshKeyBlob>();
        foreach (var line in ReadLines())
        {
            var parts = line.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0].StartsWith('#') || parts[0].StartsWith('@'))
            {
                continue;
            }

            if (parts[0].Split(',').Any(h => HostMatches(h, field)) && SshKeyBlob.FromBase64(parts[2]) is { } blob)
            {
                found.Add(blob);
            }
        }

        return found;
    }

    /// <summary>Replaces this host's entries by <paramref name="key"/>, keeping every other line.</summary>
    public string Render(string host, int port, SshKeyBlob key)
    {
        var field = HostField(host, port);
        var kept = ReadLines().Where(l => !l.Trim().Split([' ', '\t'])[0].Split(',').Any(h => HostMatches(h, field)));
        return string.Join('\n', kept.Append($"{field} {key.KeyType} {key.Base64}")) + "\n";
    }

    /// <summary>The SSH folder belongs to postgres: a root worker reads no link there, since it copies the lines it keeps.</summary>
    private List<string> ReadLines()
    {
        var lines = new List<string>();
        using var reader = new StringReader(SafeFile.ReadText(Path) ?? string.Empty);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static bool HostMatches(string entry, string field)
    {
        if (!entry.StartsWith("|1|", StringComparison.Ordinal))
        {
            return string.Equals(entry, field, StringComparison.OrdinalIgnoreCase);
        }

        // Hashed entry: |1|base64(salt)|base64(HMAC-SHA1(salt, host field)).
        var pieces = entry.Split('|');
        if (pieces.Length != 4)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(pieces[2]);
#pragma warning disable CA5350 // OpenSSH's hashed known_hosts format is defined with HMAC-SHA1
            var hash = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(field.ToLowerInvariant()));
#pragma warning restore CA5350
            return Convert.ToBase64String(hash) == pieces[3];
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
