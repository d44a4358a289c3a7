using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Rendering;

/// <summary>
/// Writes everything the standby needs outside PGDATA (pgbackrest.conf, postgresql.conf, the passfile,
/// the SSH wrapper) and, before each postgres start, the settings that belong in PGDATA.
/// </summary>
public sealed class ConfigRenderer(
    IOptions<RepositoryOptions> repository,
    IOptions<ReplicationOptions> replication,
    IOptions<StandbyOptions> standby,
    FolderPreparer folders,
    NodeRole role,
    ILogger<ConfigRenderer> logger)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupRead = UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode OthersRead = UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public void RenderAll()
    {
        var options = standby.Value;
        var files = new RunFiles(options);
        // The passfile and settings live here: owner and group (the unit's RuntimeDirectoryMode=0750, for `pgstandby status`), nobody else.
        folders.EnsureFolder(options.RunDirectory, OwnerAll | GroupRead);
        folders.EnsureFolder(options.SocketDirectory, OwnerAll | GroupRead | OthersRead | UnixFileMode.GroupWrite);
        folders.EnsureFolder(options.PgBackRestLogPath, OwnerAll | GroupRead);
        folders.EnsureFolder(options.PgBackRestSpoolPath, OwnerAll | GroupRead);
        folders.EnsureFolder(options.PgBackRestLockPath, OwnerAll | GroupRead);
        folders.EnsureFolder(options.StateDirectory, OwnerAll);
        Directory.CreateDirectory(Path.GetDirectoryName(options.PgBackRestConfig)!);

        folders.WriteOwnedFile(options.PgBackRestConfig, PgBackRestConfigRenderer.Render(repository.Value, options, files), OwnerReadWrite | UnixFileMode.GroupRead);
        if (repository.Value.Transport == RepositoryTransport.Ssh)
        {
            folders.WriteOwnedFile(files.SshConfig, SshClientConfigRenderer.RenderConfig(options.SshDirectory, files.UsableSshControlSocket), OwnerReadWrite);
            folders.WriteOwnedFile(files.SshWrapper, SshClientConfigRenderer.RenderWrapper(files.SshConfig), OwnerAll);
        }

        folders.WriteOwnedFile(files.PostgresConf, PostgresSettingsRenderer.Render(repository.Value, replication.Value, options, files), OwnerReadWrite | UnixFileMode.GroupRead);
        var r = replication.Value;
        folders.WriteOwnedFile(files.Passfile, Passfile.Render(r.PrimaryHost, r.PrimaryPort, r.User, r.Password), OwnerReadWrite);
        Log.ConfigurationRendered(logger, options.PgBackRestConfig, options.RunDirectory);
    }

    /// <summary>Until the caller reads pg_control: the primary's limits are not known, the backup's own settings stand.</summary>
    public void PrepareDataDirectory() => PrepareDataDirectory(control: null);

    /// <summary>
    /// Run after every restore and before every start: postgresql.conf rendered again with the primary's
    /// limits from PGDATA's pg_control (<paramref name="control"/>; null when it cannot be read), standby.signal
    /// present (absent on a promoted node, which starts as a primary), pgBackRest's and ALTER SYSTEM's copies of settings the worker or PG_SETTINGS set removed from
    /// postgresql.auto.conf (which postgres reads last), pg_hba rendered from the backup's.
    /// </summary>
    public void PrepareDataDirectory(ControlData? control)
    {
        var options = standby.Value;
        var files = new RunFiles(options);
        var data = options.DataDirectory;
        var primary = role.IsPrimary;
        folders.WriteOwnedFile(files.PostgresConf, PostgresSettingsRenderer.Render(repository.Value, replication.Value, options, files, control, primary), OwnerReadWrite | UnixFileMode.GroupRead);

        // A promoted node starts as a primary: standby.signal would make it a standby of nothing.
        var signal = Path.Combine(data, "standby.signal");
        if (!primary && !File.Exists(signal))
        {
            folders.WriteOwnedFile(signal, string.Empty, OwnerReadWrite);
        }

        var autoConf = Path.Combine(data, "postgresql.auto.conf");
        if (File.Exists(autoConf))
        {
            var before = SafeFile.ReadText(autoConf) ?? string.Empty;
            var after = AutoConfEditor.RemoveManaged(before, [.. PostgresSettingsRenderer.ManagedSettings, .. options.ExtraSettings.Select(s => s.Key)]);
            after = AutoConfEditor.RemoveBelow(after, PostgresSettingsRenderer.HotStandbyMinimums(control));
            if (after != before)
            {
                folders.WriteOwnedFile(autoConf, after, OwnerReadWrite);
            }
        }

        var hba = options.HbaRules is null ? ReadIfExists(Path.Combine(data, "pg_hba.conf")) : null;
        var ident = ReadIfExists(Path.Combine(data, "pg_ident.conf"));
        folders.WriteOwnedFile(files.HbaConf, HbaRenderer.RenderHba(hba, options.HbaRules), OwnerReadWrite);
        folders.WriteOwnedFile(files.IdentConf, HbaRenderer.RenderIdent(ident), OwnerReadWrite);
        Log.DataDirectoryPrepared(logger, data, options.HbaRules is not null ? "PG_HBA's rules" : hba is not null ? "the backup's pg_hba.conf" : "the standby's default pg_hba.conf");
    }

    /// <summary>PGDATA belongs to postgres: a link there must not make a root worker copy another file into the run folder.</summary>
    private static string? ReadIfExists(string path) => SafeFile.ReadText(path);
}
