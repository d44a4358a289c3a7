using System.Globalization;
using System.Text;
using PgStandby.Core.Configuration;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Rendering;

/// <summary>
/// The standby's pgbackrest.conf: the repository is the primary, reached over SSH with the standby's key, or over
/// pgBackRest's TLS server with the standby's client certificate (BACKREST_REPO_TRANSPORT=tls).
/// </summary>
public static class PgBackRestConfigRenderer
{
    /// <summary>With BACKREST_REPO_TRANSPORT=tls: how long archive-get tries to reach the server, or waits on it, before it fails.</summary>
    public const int ArchiveGetTlsTimeoutSeconds = 5;


    public static string Render(RepositoryOptions repository, StandbyOptions standby, RunFiles files)
    {
        var text = new StringBuilder();
        text.AppendLine("# Rendered by pgstandby on every start: edit its environment variables, not this file.");
        text.AppendLine("[global]");
        Line(text, "repo1-host", repository.PrimaryHost);
        Line(text, "repo1-host-port", repository.TransportPort.ToString(CultureInfo.InvariantCulture));
        if (repository.Transport == RepositoryTransport.Tls)
        {
            // https://pgbackrest.org/configuration.html#section-repository/option-repo-host-type
            Line(text, "repo1-host-type", "tls");
            Line(text, "repo1-host-cert-file", TlsClientFiles.CertificateFor(standby, files));
            Line(text, "repo1-host-key-file", TlsClientFiles.PrivateKeyPathIn(standby.TlsDirectory));
            Line(text, "repo1-host-ca-file", TlsClientFiles.CaFor(repository, standby, files));
        }
        else
        {
            Line(text, "repo1-host-user", repository.SshUser);
        }

        if (repository.PrimaryConfig is not null)
        {
            Line(text, "repo1-host-config", repository.PrimaryConfig);
        }

        Line(text, "repo1-path", repository.RepoPath);
        if (repository.Transport == RepositoryTransport.Ssh)
        {
            Line(text, "cmd-ssh", files.SshWrapper);
        }

        Line(text, "process-max", standby.ProcessMax.ToString(CultureInfo.InvariantCulture));
        Line(text, "log-path", standby.PgBackRestLogPath);
        Line(text, "spool-path", standby.PgBackRestSpoolPath);
        Line(text, "lock-path", standby.PgBackRestLockPath);
        Line(text, "log-level-file", "info");
        text.AppendLine();

        // Catching up from the archive: one archive-get fetches the following segments ahead, in parallel,
        // into spool-path (which the worker clears at every start). https://pgbackrest.org/configuration.html#section-archive
        text.AppendLine("[global:archive-get]");
        Line(text, "archive-async", "y");
        Line(text, "archive-get-queue-max", standby.ArchiveGetQueueMax.ToString(CultureInfo.InvariantCulture));

        // A segment the queue found missing is not fetched again at once: replay hands over to streaming as
        // soon as the archive is exhausted. Safe because the worker empties the queue before postgres starts.
        Line(text, "archive-missing-retry", "n");
        if (repository.Transport == RepositoryTransport.Tls)
        {
            // Over TLS pgBackRest retries a refused connection until io-timeout (60 s), where ssh fails at once: postgres's
            // restore_command would hang that long on each call while the server is down, startup included.
            Line(text, "io-timeout", ArchiveGetTlsTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        }

        text.AppendLine();
        text.Append('[').Append(repository.Stanza).AppendLine("]");
        Line(text, "pg1-path", standby.DataDirectory);
        Line(text, "pg1-port", standby.Port.ToString(CultureInfo.InvariantCulture));
        Line(text, "pg1-socket-path", standby.SocketDirectory);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string key, string value) => text.Append(key).Append('=').AppendLine(value);
}
