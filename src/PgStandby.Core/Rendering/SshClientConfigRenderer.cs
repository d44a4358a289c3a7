using PgStandby.Core.Keys;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Rendering;

/// <summary>
/// pgBackRest has no identity-file option and OpenSSH takes ~ from the passwd entry, so pgBackRest's
/// cmd-ssh points at a wrapper that runs ssh with our own config: the standby's key and known_hosts.
/// </summary>
public static class SshClientConfigRenderer
{
    public static string RenderConfig(string sshDirectory) => string.Join(
        '\n',
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
        "  ServerAliveInterval 15",
        "  ServerAliveCountMax 4",
        "  LogLevel ERROR",
        string.Empty);

    public static string RenderWrapper(string configPath) => string.Join(
        '\n',
        "#!/bin/sh",
        "# Rendered by pgstandby: pgBackRest's SSH uses the standby's key and known_hosts.",
        "exec ssh -F " + ShellQuote.Quote(configPath) + " \"$@\"",
        string.Empty);
}
