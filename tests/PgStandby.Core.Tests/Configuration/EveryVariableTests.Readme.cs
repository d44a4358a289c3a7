using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.RegularExpressions;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>
/// Whether README.md (Configuration, and Settings the standby runs with for PG_SETTINGS) accepts a value of a
/// variable set alone: written from the README's words, not from the binder's code, so each case has one outcome.
/// </summary>
public sealed partial class EveryVariableTests
{
    /// <summary>README, Settings the standby runs with: the names the worker manages.</summary>
    private static readonly string[] ManagedSettings =
    [
        "listen_addresses", "port", "hot_standby", "unix_socket_directories", "hba_file", "ident_file", "logging_collector",
        "log_destination", "archive_mode", "restore_command", "primary_conninfo", "recovery_target_timeline", "lc_messages",
        "log_line_prefix", "primary_slot_name", "recovery_target", "recovery_target_lsn", "recovery_target_name",
        "recovery_target_time", "recovery_target_xid", "recovery_target_action", "recovery_target_inclusive",
        "data_directory", "config_file", "include", "include_if_exists", "include_dir",
    ];

    private static readonly string[] HbaHostTypes = ["host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"];

    /// <summary>The README's verdict on <paramref name="value"/> as the only variable set (beside the required host).</summary>
    private static bool ReadmeAccepts(string variable, string value)
    {
        if (value.Length == 0)
        {
            return variable != "BACKREST_PRIMARY_HOST"; // unset: the default, but the primary's host is required
        }

        var trimmed = value.Trim();
        return variable switch
        {
            "BACKREST_PRIMARY_HOST" or "PG_PRIMARY_HOST" => IsHost(trimmed),
            "BACKREST_PRIMARY_SSH_PORT" or "PG_PRIMARY_PORT" or "PG_PORT" => IsNumber(trimmed, 1, 65535),
            "BACKREST_PRIMARY_USER" or "BACKREST_STANZA" or "PG_REPLICATION_USER" => NamePattern().IsMatch(trimmed),
            "BACKREST_PRIMARY_CONFIG" or "BACKREST_REPO_PATH" or "PG_SOCKET_DIR" or "BACKREST_CONFIG" or "BACKREST_LOG_PATH"
                or "BACKREST_SPOOL_PATH" or "BACKREST_LOCK_PATH" or "PGSTANDBY_SSH_DIR" or "PGSTANDBY_RUN_DIR" or "PGSTANDBY_STATE_DIR" => IsPath(trimmed),
            "PGDATA" => IsPath(trimmed) && !OwnFoldersInside(trimmed),
            "PG_BIN_DIR" => IsPath(trimmed) && File.Exists(Path.Combine(trimmed, "postgres")),
            "PG_SETTINGS_DIR" => IsPath(trimmed) && Directory.Exists(trimmed),
            "PG_PRIMARY_SSLROOTCERT" => IsPath(trimmed) && File.Exists(trimmed),
            "BACKREST_PRIMARY_HOST_KEY" => IsHostKey(trimmed),
            "BACKREST_REPO_TRANSPORT" => trimmed is "ssh" or "tls",
            "BACKREST_PRIMARY_TLS_PORT" => IsNumber(trimmed, 1, 65535),
            "BACKREST_PRIMARY_TLS_CA" or "PGSTANDBY_TLS_CERT" => false, // PEM certificates: no value of the list is one (TlsMaterialRulesTests has real ones)
            "BACKREST_PRIMARY_TLS_CA_FILE" or "PGSTANDBY_TLS_CERT_FILE" => IsPath(trimmed) && File.Exists(trimmed),
            "PGSTANDBY_TLS_DIR" => IsPath(trimmed),
            "PG_PRIMARY_SSLMODE" => trimmed is "disable" or "allow" or "prefer" or "require", // verify-ca and verify-full need PG_PRIMARY_SSLROOTCERT
            "PG_REPLICATION_PASSWORD" => IsPassword(value),
            "PG_REPLICATION_PASSWORD_FILE" => IsPath(trimmed) && File.Exists(trimmed) && WithoutOneFinalLineBreak(File.ReadAllText(trimmed)) is { Length: > 0 } content && IsPassword(content),
            "PG_STANDBY_NAME" or "PG_SLAVE_NAME" => value.Length <= 63 && value.All(c => c is >= ' ' and <= '~'),
            "BACKREST_PROCESS_MAX" => IsNumber(trimmed, 1, 256),
            "BACKREST_ARCHIVE_GET_QUEUE_MAX" => IsSize(trimmed, 16L << 20, 4L << 50),
            "PGSTANDBY_MAX_LAG_BYTES" => IsSize(trimmed, 1, 4L << 50),
            "PGSTANDBY_RETRY_SECONDS" or "PGSTANDBY_MONITOR_SECONDS" => IsNumber(trimmed, 1, 3600),
            "PGSTANDBY_STOP_TIMEOUT_SECONDS" => IsNumber(trimmed, 5, 3600),
            "PGSTANDBY_STALL_TIMEOUT" => IsNumber(trimmed, 10, 86400),
            "PGSTANDBY_MAX_LAG_SECONDS" => IsNumber(trimmed, 1, 604800),
            "PGSTANDBY_LAG_SAMPLES" => IsNumber(trimmed, 1, 100),
            "PGSTANDBY_RESYNC_ON_GAP" => trimmed.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "1" or "0",
            "PGSTANDBY_METRICS_LISTEN" => IsListen(trimmed),
            "PGSTANDBY_LOG_FORMAT" => trimmed is "text" or "json",
            "PG_SETTINGS" => Entries(value).All(IsSetting),
            "PG_HBA" => Entries(value) is { Count: > 0 } rules && rules.All(IsHbaRule),
            _ => throw new ArgumentOutOfRangeException(nameof(variable), variable, "not a variable of EveryVariableTests.Variables"),
        };
    }

    /// <summary>README: the run, state and SSH folders must be outside PGDATA (here their defaults).</summary>
    private static bool OwnFoldersInside(string dataDirectory)
    {
        var data = dataDirectory.TrimEnd('/') + "/";
        return new[] { Defaults.Standby.RunDirectory, Defaults.Standby.StateDirectory, Defaults.Standby.SshDirectory }
            .Any(folder => (folder + "/").StartsWith(data, StringComparison.Ordinal));
    }

    private static bool IsPath(string path) =>
        path.StartsWith('/') && path.Length <= 1000
        && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '@' or '/')
        && !path.Split('/').Contains("..");

    private static bool IsHost(string host) =>
        host.Length is > 0 and <= 253
        && ((host.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') && IPAddress.TryParse(host, out _))
            || (host.EndsWith('.') ? host[..^1] : host).Split('.').All(label => HostLabel().IsMatch(label)));

    private static bool IsNumber(string text, long min, long max) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && BigInteger.Parse(text, CultureInfo.InvariantCulture) is var number && number >= min && number <= max;

    /// <summary>README: bytes, or a whole number with KiB … PiB (pgBackRest's size syntax, which also reads KB and K).</summary>
    private static bool IsSize(string text, long min, long max)
    {
        var match = SizeSyntax().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var unit = match.Groups["unit"].Value.ToUpperInvariant();
        var power = unit.Length == 0 || unit == "B" ? 0 : "KMGTP".IndexOf(unit[0], StringComparison.Ordinal) + 1;
        var bytes = BigInteger.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture) * BigInteger.Pow(1024, power);
        return bytes >= min && bytes <= max;
    }

    private static bool IsPassword(string password) => password.Length <= 1024 && !password.Any(char.IsControl);

    /// <summary>README: host:port, an IPv6 address in brackets.</summary>
    private static bool IsListen(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !IsNumber(text[(colon + 1)..], 1, 65535))
        {
            return false;
        }

        var host = text[..colon];
        return host.StartsWith('[') && host.EndsWith(']') ? IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : !host.Contains(':', StringComparison.Ordinal) && IsHost(host);
    }

    /// <summary>README: a known_hosts line (its host field optional) or a SHA256: fingerprint as ssh-keygen -lf prints it.</summary>
    private static bool IsHostKey(string text)
    {
        if (text.StartsWith("SHA256:", StringComparison.Ordinal))
        {
            return Regex.IsMatch(text, "^SHA256:[A-Za-z0-9+/]{43}=?$");
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < fields.Length && i < 2; i++)
        {
            if (NamesItsKeyType(fields[i], fields[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An SSH public key blob begins with its key type, length first (RFC 4253, 6.6).</summary>
    private static bool NamesItsKeyType(string type, string base64)
    {
        var blob = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, blob, out var length) || length < 4)
        {
            return false;
        }

        var typeLength = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        return typeLength == type.Length && 4 + typeLength < length && System.Text.Encoding.ASCII.GetString(blob, 4, typeLength) == type;
    }

    /// <summary>README: entries separated by ; or line breaks, spaces around them ignored.</summary>
    private static List<string> Entries(string value) => [.. value.Split([';', '\n']).Select(e => e.Trim()).Where(e => e.Length > 0)];

    /// <summary>README, Settings the standby runs with (the five limits' own ranges are ExtraSettingsParserTests').</summary>
    private static bool IsSetting(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return false;
        }

        var name = entry[..equals].Trim();
        var value = entry[(equals + 1)..].Trim();
        return SettingName().IsMatch(name)
            && !ManagedSettings.Contains(name, StringComparer.Ordinal)
            && !value.Any(char.IsControl)
            && !(value.Length >= 2 && value.StartsWith('\'') && value.EndsWith('\''));
    }

    /// <summary>README: a local rule of 4 fields, a host… rule of 5 at least; no comment, no control character but a tab.</summary>
    private static bool IsHbaRule(string rule)
    {
        var fields = rule.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var needed = fields[0] == "local" ? 4 : HbaHostTypes.Contains(fields[0], StringComparer.Ordinal) ? 5 : int.MaxValue;
        return !rule.Any(c => char.IsControl(c) && c != '\t') && fields.Length >= needed;
    }

    private static string WithoutOneFinalLineBreak(string content) =>
        content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content.EndsWith('\n') ? content[..^1] : content;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostLabel();

    [GeneratedRegex("^(?<number>[0-9]+)(?<unit>[KMGTP]i?B|[KMGTP]|B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizeSyntax();

    [GeneratedRegex("^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$")]
    private static partial Regex SettingName();
}
