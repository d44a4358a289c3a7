using System.Globalization;
using System.Text;
using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Rendering;

/// <summary>
/// The postgresql.conf postgres starts with (config_file): the backup's own postgresql.conf when it has
/// one, then the standby settings layered on top, then the operator's (PG_SETTINGS_DIR, PG_SETTINGS), then
/// the worker's own again so that nothing overrides them. Debian primaries keep their postgresql.conf in
/// /etc, so a backup of theirs has none and these settings alone must be enough to start.
/// </summary>
public static partial class PostgresSettingsRenderer
{
    /// <param name="asPrimary">
    /// A node promoted by pgstandby promote (or by hand, seen by the worker): no restore_command and no
    /// primary_conninfo (empty, so the backup's own values do not come back): it never reads the old
    /// primary's archive again nor streams from it.
    /// </param>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(
        RepositoryOptions repository, ReplicationOptions replication, StandbyOptions standby, RunFiles files, bool asPrimary = false) =>
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
        new("restore_command", ConfQuote.Literal(asPrimary ? string.Empty : RestoreCommand(repository, standby))),
        new("primary_conninfo", ConfQuote.Literal(asPrimary ? string.Empty : PrimaryConnInfo(replication, files))),
        new("recovery_target_timeline", ConfQuote.Literal("latest")),

        // The worker reads postgres's lines (ready, WAL receiver streaming, timeline forks): in English, and only
        // those of processes it knows by the prefix, never a client's text.
        new("lc_messages", ConfQuote.Literal("C")),
        new("log_line_prefix", ConfQuote.Literal(PostgresLogLine.Prefix)),
    ];

    /// <summary>The first kernel whose syncfs() reports writeback errors to the caller.</summary>
    public static readonly Version SyncfsReportsErrorsFrom = new(5, 8);

    /// <summary>
    /// The worker's defaults, which PG_SETTINGS and PG_SETTINGS_DIR may override (they come before those).
    /// After a restore (and a crash) postgres first flushes PGDATA: file by file with fsync, where one
    /// syncfs() of the file system does the same at once (pgBackRest has already flushed every file it
    /// wrote). Only on kernels that report syncfs's writeback errors.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Defaults(Version kernel) =>
        kernel >= SyncfsReportsErrorsFrom ? [new("recovery_init_sync_method", "syncfs")] : [];

    /// <summary>Before the first restore: no pg_control to read the primary's limits from.</summary>
    public static string Render(RepositoryOptions repository, ReplicationOptions replication, StandbyOptions standby, RunFiles files) =>
        Render(repository, replication, standby, files, control: null);

    public static string Render(RepositoryOptions repository, ReplicationOptions replication, StandbyOptions standby, RunFiles files, ControlData? control, bool asPrimary = false)
    {
        var own = Settings(repository, replication, standby, files, asPrimary);
        var limits = HotStandbySettings(control, standby.ExtraSettings);
        var text = new StringBuilder();
        text.AppendLine("# Rendered by pgstandby on every start: edit its environment variables, not this file.");
        text.AppendLine("# The backup's own settings, when it has them (a backup of a Debian cluster has none):");
        text.Append("include_if_exists = ").AppendLine(ConfQuote.Literal(Path.Combine(standby.DataDirectory, "postgresql.conf")));
        text.AppendLine("# Standby settings, layered on top:");
        Lines(text, own);
        Lines(text, Defaults(Environment.OSVersion.Version));
        if (limits.Count > 0)
        {
            text.AppendLine("# At least the primary's values (pg_control), or recovery stops: https://www.postgresql.org/docs/15/hot-standby.html#HOT-STANDBY-ADMIN");
            Lines(text, limits);
        }

        if (standby.SettingsDirectory is null && standby.ExtraSettings.Count == 0)
        {
            return text.ToString();
        }

        if (standby.SettingsDirectory is not null)
        {
            text.AppendLine("# PG_SETTINGS_DIR: the operator's files, which must not set the settings above:");
            text.Append("include_dir = ").AppendLine(ConfQuote.Literal(standby.SettingsDirectory));
        }

        if (standby.ExtraSettings.Count > 0)
        {
            text.AppendLine("# PG_SETTINGS:");
            Lines(text, standby.ExtraSettings.Select(s => new KeyValuePair<string, string>(s.Key, ConfQuote.Literal(s.Value))));
        }

        text.AppendLine("# The worker's settings again, so that nothing above overrides them:");
        Lines(text, own);
        foreach (var comment in FloorComments(control, standby.ExtraSettings))
        {
            text.AppendLine(comment);
        }

        Lines(text, limits);
        return text.ToString();
    }

    /// <summary>postgres runs restore_command through /bin/sh: every argument is shell-quoted.</summary>
    public static string RestoreCommand(RepositoryOptions repository, StandbyOptions standby) =>
        ShellQuote.Join(["pgbackrest", .. ArchiveGetArguments(repository, standby)]) + " %f \"%p\"";

    /// <summary>pgBackRest's archive-get as restore_command runs it (segment and destination follow): the worker's own call must match it.</summary>
    public static IReadOnlyList<string> ArchiveGetArguments(RepositoryOptions repository, StandbyOptions standby) =>
        ["--config=" + standby.PgBackRestConfig, "--stanza=" + repository.Stanza, "archive-get"];

    /// <summary>No password here: libpq reads it from the passfile.</summary>
    public static string PrimaryConnInfo(ReplicationOptions replication, RunFiles files)
    {
        List<KeyValuePair<string, string>> pairs =
        [
            new("host", replication.PrimaryHost),
            new("port", replication.PrimaryPort.ToString(CultureInfo.InvariantCulture)),
            new("user", replication.User),
            new("passfile", files.Passfile),
            new("application_name", replication.ApplicationName),
            new("sslmode", replication.SslMode),
        ];
        if (replication.SslRootCert is not null)
        {
            pairs.Add(new("sslrootcert", replication.SslRootCert));
        }

        return ConnInfo.Build(pairs);
    }

    private static void Lines(StringBuilder text, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            text.Append(key).Append(" = ").AppendLine(value);
        }
    }
}
