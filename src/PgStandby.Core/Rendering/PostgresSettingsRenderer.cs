using System.Globalization;
using System.Text;
using PgStandby.Core.Configuration;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Rendering;

/// <summary>
/// The postgresql.conf postgres starts with (config_file): the backup's own postgresql.conf when it has
/// one, then the standby settings layered on top. Debian primaries keep their postgresql.conf in /etc,
/// so a backup of theirs has none and these settings alone must be enough to start.
/// </summary>
public static class PostgresSettingsRenderer
{
    /// <summary>Settings this file owns; copies of them in postgresql.auto.conf are removed so these win.</summary>
    public static readonly IReadOnlyList<string> ManagedSettings =
    [
        "listen_addresses", "port", "hot_standby", "unix_socket_directories", "hba_file", "ident_file",
        "logging_collector", "log_destination", "restore_command", "primary_conninfo", "primary_slot_name",
        "recovery_target_timeline", "recovery_target", "recovery_target_lsn", "recovery_target_name",
        "recovery_target_time", "recovery_target_xid", "recovery_target_action", "recovery_target_inclusive",
        "archive_mode",
    ];

    public static IReadOnlyList<KeyValuePair<string, string>> Settings(
        RepositoryOptions repository, ReplicationOptions replication, StandbyOptions standby, RunFiles files) =>
    [
        new("listen_addresses", ConfQuote.Literal("*")),
        new("port", standby.Port.ToString(CultureInfo.InvariantCulture)),
        new("hot_standby", "on"),
        new("unix_socket_directories", ConfQuote.Literal(standby.SocketDirectory)),
        new("hba_file", ConfQuote.Literal(files.HbaConf)),
        new("ident_file", ConfQuote.Literal(files.IdentConf)),

        // postgres's log goes to stderr, which the worker forwards into its own log.
        new("logging_collector", "off"),
        new("log_destination", ConfQuote.Literal("stderr")),
        new("archive_mode", "off"),
        new("restore_command", ConfQuote.Literal(RestoreCommand(repository, standby))),
        new("primary_conninfo", ConfQuote.Literal(PrimaryConnInfo(replication, files))),
        new("recovery_target_timeline", ConfQuote.Literal("latest")),
    ];

    public static string Render(RepositoryOptions repository, ReplicationOptions replication, StandbyOptions standby, RunFiles files)
    {
        var text = new StringBuilder();
        text.AppendLine("# Rendered by pgstandby on every start: edit its environment variables, not this file.");
        text.AppendLine("# The backup's own settings, when it has them (a backup of a Debian cluster has none):");
        text.Append("include_if_exists = ").AppendLine(ConfQuote.Literal(Path.Combine(standby.DataDirectory, "postgresql.conf")));
        text.AppendLine("# Standby settings, layered on top:");
        foreach (var (key, value) in Settings(repository, replication, standby, files))
        {
            text.Append(key).Append(" = ").AppendLine(value);
        }

        return text.ToString();
    }

    /// <summary>postgres runs restore_command through /bin/sh: every argument is shell-quoted.</summary>
    public static string RestoreCommand(RepositoryOptions repository, StandbyOptions standby) =>
        ShellQuote.Join(["pgbackrest", "--config=" + standby.PgBackRestConfig, "--stanza=" + repository.Stanza, "archive-get"])
        + " %f \"%p\"";

    /// <summary>No password here: libpq reads it from the passfile.</summary>
    public static string PrimaryConnInfo(ReplicationOptions replication, RunFiles files) => ConnInfo.Build(
    [
        new("host", replication.PrimaryHost),
        new("port", replication.PrimaryPort.ToString(CultureInfo.InvariantCulture)),
        new("user", replication.User),
        new("passfile", files.Passfile),
        new("application_name", replication.ApplicationName),
    ]);
}
