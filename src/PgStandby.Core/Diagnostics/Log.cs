using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Diagnostics;

/// <summary>Source-generated log messages. Holes are structured; none ever carries a password or a private key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.StateChanged, LogLevel.Information, "State {State}: {Reason}. Next step: {NextStep}")]
    public static partial void StateChanged(ILogger logger, string state, string reason, string nextStep);

    [LoggerMessage(EventIds.StatusFileNotWritten, LogLevel.Warning, "Cannot write the status file {Path}: {Error}")]
    public static partial void StatusFileNotWritten(ILogger logger, string path, string error);

    [LoggerMessage(EventIds.OwnershipNotChanged, LogLevel.Warning, "Cannot give {Path} to {Owner} (errno {Errno})")]
    public static partial void OwnershipNotChanged(ILogger logger, string path, string owner, int errno);

    [LoggerMessage(EventIds.LinkReplaced, LogLevel.Warning, "Replaced the symbolic link {Path} (to {Target}) with a regular file: the worker never writes through a link its folder's owner could plant")]
    public static partial void LinkReplaced(ILogger logger, string path, string target);

    [LoggerMessage(EventIds.DefaultReplicationPassword, LogLevel.Warning, "The replication password is the seed's well-known default: whoever reaches the primary's port can stream all its data; give the primary's replication role a password of its own and set {Variable} to it")]
    public static partial void DefaultReplicationPassword(ILogger logger, string variable);

    [LoggerMessage(EventIds.KeyGenerated, LogLevel.Information, "Generated the standby's SSH key {Path}")]
    public static partial void KeyGenerated(ILogger logger, string path);

    [LoggerMessage(EventIds.KeyReused, LogLevel.Information, "Using the existing SSH key {Path}")]
    public static partial void KeyReused(ILogger logger, string path);

    [LoggerMessage(EventIds.PublicKey, LogLevel.Warning, "The standby's public key, to authorize on the primary:\n{Banner}")]
    public static partial void PublicKey(ILogger logger, string banner);

    [LoggerMessage(EventIds.HostKeyRecorded, LogLevel.Information, "Recorded {Host}'s {KeyType} host key {Fingerprint} in known_hosts ({Reason})")]
    public static partial void HostKeyRecorded(ILogger logger, string host, string keyType, string fingerprint, string reason);

    [LoggerMessage(EventIds.TlsKeyGenerated, LogLevel.Information, "Generated the standby's TLS key {Path} and its certificate request for CN={CommonName}")]
    public static partial void TlsKeyGenerated(ILogger logger, string path, string commonName);

    [LoggerMessage(EventIds.TlsKeyReused, LogLevel.Information, "Using the existing TLS key {Path}")]
    public static partial void TlsKeyReused(ILogger logger, string path);

    [LoggerMessage(EventIds.TlsCaPinned, LogLevel.Information, "Pinned the primary's CA {Subject} {Fingerprint} in {Path} (trusted on first use: the CA of the certificate bundle placed for this standby)")]
    public static partial void TlsCaPinned(ILogger logger, string subject, string fingerprint, string path);

    [LoggerMessage(EventIds.TlsCertificateExpiresSoon, LogLevel.Warning, "The standby's TLS certificate {Subject} expires on {NotAfter:u}: sign a new request on the primary (setup-primary.sh --sign-csr) and place the bundle before then")]
    public static partial void TlsCertificateExpiresSoon(ILogger logger, string subject, DateTimeOffset notAfter);

    [LoggerMessage(EventIds.ConfigurationRendered, LogLevel.Information, "Rendered {PgBackRestConfig} and the standby's settings in {RunDirectory}")]
    public static partial void ConfigurationRendered(ILogger logger, string pgBackRestConfig, string runDirectory);

    [LoggerMessage(EventIds.DataDirectoryPrepared, LogLevel.Information, "Prepared {DataDirectory} to start as a standby, with {HbaSource}")]
    public static partial void DataDirectoryPrepared(ILogger logger, string dataDirectory, string hbaSource);

    [LoggerMessage(EventIds.RestorePlanned, LogLevel.Information, "PGDATA classified as {Action}: {Reason}")]
    public static partial void RestorePlanned(ILogger logger, string action, string reason);

    [LoggerMessage(EventIds.RestoreStarting, LogLevel.Information, "Starting a {Kind} restore of backup {Backup} ({Size}) with process-max {ProcessMax}")]
    public static partial void RestoreStarting(ILogger logger, string kind, string backup, string size, int processMax);

    [LoggerMessage(EventIds.RestoreFinished, LogLevel.Information, "Restore finished in {Elapsed}")]
    public static partial void RestoreFinished(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(EventIds.RestoreFailed, LogLevel.Error, "Restore failed: {Description}: {Tail}")]
    public static partial void RestoreFailed(ILogger logger, string description, string tail);

    [LoggerMessage(EventIds.PgBackRestLine, LogLevel.Information, "pgbackrest: {Line}")]
    public static partial void PgBackRestLine(ILogger logger, string line);

    [LoggerMessage(EventIds.RepositoryReady, LogLevel.Information, "Stanza {Stanza} on {Host} is ready: newest backup {Backup}")]
    public static partial void RepositoryReady(ILogger logger, string stanza, string host, string backup);

    [LoggerMessage(EventIds.LeftoverStopped, LogLevel.Warning, "Stopped process {Pid} left by an earlier worker: {CommandLine}")]
    public static partial void LeftoverStopped(ILogger logger, int pid, string commandLine);

    [LoggerMessage(EventIds.PgBackRestStopped, LogLevel.Information, "Stopped process {Pid} of pgBackRest or of its SSH connections: {CommandLine}")]
    public static partial void PgBackRestStopped(ILogger logger, int pid, string commandLine);

    [LoggerMessage(EventIds.PostmasterAdopted, LogLevel.Warning, "postgres (pid {Pid}) of this standby was already running: adopting it instead of starting another; its log lines reach this log again after its next restart")]
    public static partial void PostmasterAdopted(ILogger logger, int pid);

    [LoggerMessage(EventIds.IdentityRemembered, LogLevel.Information, "Remembered PGDATA's identity: stanza {Stanza}, system {SystemId}")]
    public static partial void IdentityRemembered(ILogger logger, string stanza, ulong systemId);
}
