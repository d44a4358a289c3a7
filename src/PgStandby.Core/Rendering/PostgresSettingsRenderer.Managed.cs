namespace PgStandby.Core.Rendering;

/// <summary>The settings the worker owns, and who sets each one instead of PG_SETTINGS.</summary>
public static partial class PostgresSettingsRenderer
{
    /// <summary>Settings this file owns; copies of them in postgresql.auto.conf are removed so these win.</summary>
    public static readonly IReadOnlyList<string> ManagedSettings =
    [
        "listen_addresses", "port", "hot_standby", "unix_socket_directories", "hba_file", "ident_file",
        "logging_collector", "log_destination", "restore_command", "primary_conninfo", "primary_slot_name",
        "recovery_target_timeline", "recovery_target", "recovery_target_lsn", "recovery_target_name",
        "recovery_target_time", "recovery_target_xid", "recovery_target_action", "recovery_target_inclusive",
        "archive_mode", "lc_messages", "log_line_prefix",
    ];

    private const string RecoveryTargets = "the standby follows the primary's latest timeline and never stops at a target";

    private static readonly Dictionary<string, string> Owners = new(StringComparer.Ordinal)
    {
        ["listen_addresses"] = "always '*'; pg_hba.conf decides who may connect",
        ["port"] = "set PG_PORT",
        ["hot_standby"] = "always on",
        ["unix_socket_directories"] = "set PG_SOCKET_DIR",
        ["hba_file"] = "rendered in PGSTANDBY_RUN_DIR from the backup's own pg_hba.conf",
        ["ident_file"] = "rendered in PGSTANDBY_RUN_DIR from the backup's own pg_ident.conf",
        ["logging_collector"] = "always off: postgres's log goes to the worker's",
        ["log_destination"] = "always stderr: postgres's log goes to the worker's",
        ["restore_command"] = "set BACKREST_CONFIG and BACKREST_STANZA",
        ["primary_conninfo"] = "set PG_PRIMARY_HOST, PG_PRIMARY_PORT, PG_REPLICATION_USER, PG_REPLICATION_PASSWORD, PG_STANDBY_NAME, PG_PRIMARY_SSLMODE, PG_PRIMARY_SSLROOTCERT",
        ["primary_slot_name"] = "the standby uses no replication slot",
        ["recovery_target_timeline"] = "always 'latest'",
        ["recovery_target"] = RecoveryTargets,
        ["recovery_target_lsn"] = RecoveryTargets,
        ["recovery_target_name"] = RecoveryTargets,
        ["recovery_target_time"] = RecoveryTargets,
        ["recovery_target_xid"] = RecoveryTargets,
        ["recovery_target_action"] = RecoveryTargets,
        ["recovery_target_inclusive"] = RecoveryTargets,
        ["archive_mode"] = "always off on the standby",
        ["lc_messages"] = "always 'C': the worker reads postgres's log lines (ready, WAL receiver streaming, timeline forks)",
        ["log_line_prefix"] = "always '" + Postgres.PostgresLogLine.Prefix + "': the worker acts only on lines of postgres's own processes, known by their backend type, never on a client's text",

        // Not settings the file renders, but lines that would change which files postgres reads.
        ["data_directory"] = "set PGDATA",
        ["config_file"] = "postgres starts with the worker's rendered postgresql.conf",
        ["include"] = "put settings files in PG_SETTINGS_DIR",
        ["include_if_exists"] = "put settings files in PG_SETTINGS_DIR",
        ["include_dir"] = "set PG_SETTINGS_DIR",
    };

    /// <summary>Who sets <paramref name="name"/> when the worker owns it (a variable to set, or why it is fixed); null when PG_SETTINGS may set it.</summary>
    public static string? ManagedBy(string name) => Owners.GetValueOrDefault(name);
}
