using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

internal sealed class StandbyOptionsSetup(IConfiguration configuration) : IConfigureOptions<StandbyOptions>
{
    // One 16 MiB WAL segment at least; pgBackRest's own maximum above.
    private const long MinArchiveGetQueue = 16L << 20;
    private const long MaxArchiveGetQueue = 4L << 50;

    public void Configure(StandbyOptions options)
    {
        var env = new EnvironmentValues(configuration, options.Problems);
        options.DataDirectory = env.AbsolutePath("PGDATA", options.DataDirectory);
        options.Port = env.Integer("PG_PORT", options.Port, 1, 65535);
        options.BinDirectory = env.AbsolutePath("PG_BIN_DIR", options.BinDirectory);
        options.SocketDirectory = env.AbsolutePath("PG_SOCKET_DIR", options.SocketDirectory);
        options.PgBackRestConfig = env.AbsolutePath("BACKREST_CONFIG", options.PgBackRestConfig);
        options.ProcessMax = env.Integer("BACKREST_PROCESS_MAX", options.ProcessMax, 1, 256);
        options.PgBackRestLogPath = env.AbsolutePath("BACKREST_LOG_PATH", options.PgBackRestLogPath);
        options.PgBackRestSpoolPath = env.AbsolutePath("BACKREST_SPOOL_PATH", options.PgBackRestSpoolPath);
        options.PgBackRestLockPath = env.AbsolutePath("BACKREST_LOCK_PATH", options.PgBackRestLockPath);
        options.ArchiveGetQueueMax = env.Size("BACKREST_ARCHIVE_GET_QUEUE_MAX", options.ArchiveGetQueueMax, MinArchiveGetQueue, MaxArchiveGetQueue);
        options.SshDirectory = env.AbsolutePath("PGSTANDBY_SSH_DIR", options.SshDirectory);
        options.TlsDirectory = env.AbsolutePath("PGSTANDBY_TLS_DIR", options.SshDirectory);
        options.TlsCertificatePem = env.Raw("PGSTANDBY_TLS_CERT"); // its content is the TLS client's to check (Tls.TlsCertificateRule)
        options.TlsCertificateFile = env.OptionalExistingFile("PGSTANDBY_TLS_CERT_FILE", "the signed certificate (PEM)");
        if (options.TlsCertificatePem is not null && options.TlsCertificateFile is not null)
        {
            options.Problems.Add("PGSTANDBY_TLS_CERT and PGSTANDBY_TLS_CERT_FILE are both set: keep one (the signed certificate's PEM, or the file holding it).");
        }
        options.RunDirectory = env.AbsolutePath("PGSTANDBY_RUN_DIR", options.RunDirectory);
        options.StateDirectory = env.AbsolutePath("PGSTANDBY_STATE_DIR", options.StateDirectory);

        options.ExtraSettings = ExtraSettingsParser.Parse(env.Raw(ExtraSettingsParser.Variable), options.Problems);
        options.SettingsDirectory = SettingsDirectory(env);
        options.HbaRules = HbaRulesParser.Parse(env.Raw(HbaRulesParser.Variable), options.Problems);

        if (!env.IsSet("PG_BIN_DIR") && !File.Exists(Path.Combine(options.BinDirectory, "postgres")))
        {
            options.Problems.Add($"PG_BIN_DIR is not set and PostgreSQL 15 was not found in {options.BinDirectory}: install postgresql-15 or set PG_BIN_DIR to the folder holding its postgres binary.");
        }
        else if (env.IsSet("PG_BIN_DIR") && !File.Exists(Path.Combine(options.BinDirectory, "postgres")))
        {
            options.Problems.Add($"PG_BIN_DIR must be a folder holding PostgreSQL 15's binaries, but {options.BinDirectory}/postgres does not exist.");
        }

        var own = new[] { options.RunDirectory, options.StateDirectory, options.SshDirectory, options.TlsDirectory };
        if (own.Any(dir => IsInside(dir, options.DataDirectory)))
        {
            options.Problems.Add("PGSTANDBY_RUN_DIR, PGSTANDBY_STATE_DIR, PGSTANDBY_SSH_DIR and PGSTANDBY_TLS_DIR must be outside PGDATA: a restore empties PGDATA of everything the backup does not hold.");
        }
    }

    /// <summary>PG_SETTINGS_DIR: postgres refuses to start when an include_dir is missing, so it must exist now.</summary>
    private static string? SettingsDirectory(EnvironmentValues env)
    {
        var before = env.ProblemCount;
        var folder = env.OptionalAbsolutePath("PG_SETTINGS_DIR");
        if (folder is null || env.ProblemCount > before)
        {
            return null;
        }

        if (!Directory.Exists(folder))
        {
            env.Problem($"PG_SETTINGS_DIR names {folder}, which is not a folder: create it, or unset PG_SETTINGS_DIR.");
            return null;
        }

        return folder;
    }

    /// <summary>Compares normalised paths, so /srv/pg//data and /srv/pg/./data are the same folder.</summary>
    private static bool IsInside(string path, string folder)
    {
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);
    }
}
