using System.Globalization;
using PgStandby.Core.Keys;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Rendering;

/// <summary>
/// pgBackRest has no identity-file option and OpenSSH takes ~ from the passwd entry, so pgBackRest's
/// cmd-ssh points at a wrapper that runs ssh with our own config: the standby's key and known_hosts.
/// </summary>
public static class SshClientConfigRenderer
{
    /// <summary>How long the shared connection waits, idle, for the next session: across one catch-up's archive-get calls.</summary>
    public const int ControlPersistSeconds = 10;

    /// <param name="controlSocket">
    /// Where the first SSH connection listens for the next ones (a restore's or an archive-get's local
    /// processes, process-max of them, and the following archive-get calls): one key exchange and one login
    /// instead of one each. It outlives its last session by <see cref="ControlPersistSeconds"/> (the worker
    /// stops it with pgBackRest's processes). Null turns multiplexing off.
    /// </param>
    public static string RenderConfig(string sshDirectory, string? controlSocket) => string.Join(
        '\n',
        [
            "# Rendered by pgstandby on every start.",
            "Host *",
            "  IdentityFile " + StandbyKeyPair.PrivateKeyPathIn(sshDirectory),
            "  IdentitiesOnly yes",
            "  UserKnownHostsFile " + Path.Combine(sshDirectory, "known_hosts"),
            "  GlobalKnownHostsFile /dev/null",
            "  StrictHostKeyChecking yes",
            "  CheckHostIP no",
            "  BatchMode yes",
            "  ConnectTimeout 10",
            // A link silent for a minute is dead (every session multiplexed over it ends then); a shorter
            // hiccup is ridden out, a restore included.
            "  ServerAliveInterval 15",
            "  ServerAliveCountMax 4",
            "  LogLevel ERROR",
            .. Multiplexing(controlSocket),
            string.Empty,
        ]);

    private static string[] Multiplexing(string? controlSocket) => controlSocket is null
        ?
        [
            "  # No multiplexing: PGSTANDBY_RUN_DIR is too long a path for OpenSSH's control socket.",
            "  ControlMaster no",
        ]
        :
        [
            "  ControlMaster auto",
            "  ControlPath " + controlSocket,
            "  ControlPersist " + ControlPersistSeconds.ToString(CultureInfo.InvariantCulture),
        ];

    public static string RenderWrapper(string configPath) => string.Join(
        '\n',
        "#!/bin/sh",
        "# Rendered by pgstandby: pgBackRest's SSH uses the standby's key and known_hosts.",
        "exec ssh -F " + ShellQuote.Quote(configPath) + " \"$@\"",
        string.Empty);
}
