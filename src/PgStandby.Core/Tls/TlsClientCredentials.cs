using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tls;

/// <summary>
/// The standby's TLS identity (BACKREST_REPO_TRANSPORT=tls): its key and request, made on the first start and
/// never again; before each use of the repository by the worker, the certificate the operator placed, checked against
/// the key and the clock, and the primary's CA pinned (BACKREST_PRIMARY_TLS_CA, or on first use the placed bundle's),
/// where pgbackrest.conf points (<see cref="TlsClientFiles.CertificateFor"/>, <see cref="TlsClientFiles.CaFor"/>).
/// </summary>
public sealed class TlsClientCredentials(
    FolderPreparer folders,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<ReplicationOptions> replication,
    TimeProvider time,
    ILogger<TlsClientCredentials> logger)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The certificate the last <see cref="Prepare"/> accepted, for the status; null before.</summary>
    public TlsClientCertificate? Current { get; private set; }

    /// <summary>The key and its request exist in PGSTANDBY_TLS_DIR (stage 1).</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var folder = standby.Value.TlsDirectory;
        folders.EnsureFolder(folder, OwnerOnly | UnixFileMode.UserExecute, recursive: true);
        var keyPath = TlsClientFiles.PrivateKeyPathIn(folder);
        var requestPath = TlsClientFiles.RequestPathIn(folder);
        if (File.Exists(keyPath))
        {
            Log.TlsKeyReused(logger, keyPath);
            SafeFile.SetMode(keyPath, OwnerOnly); // a key an operator made beforehand, as for the SSH key
            if (SafeFile.ReadText(requestPath) is null)
            {
                throw StandbyException.Refused(
                    $"{requestPath} is missing while {keyPath} exists",
                    $"remove {keyPath} too to get a new key and request (its certificate must then be signed again), or restore {requestPath}");
            }

            return Task.CompletedTask;
        }

        var identity = TlsClientIdentity.Create(replication.Value.ApplicationName);
        folders.WriteOwnedFile(keyPath, identity.PrivateKeyPem, OwnerOnly);
        folders.WriteOwnedFile(requestPath, identity.RequestPem, Public);
        Log.TlsKeyGenerated(logger, keyPath, identity.CommonName);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Checks the placed certificate and pins the CA, then writes both where pgbackrest.conf points; returns what the
    /// standby trusts the server by, for the status.
    /// </summary>
    /// <exception cref="PrimaryUnavailableException">No usable certificate yet (KeyNotAuthorized): the operator must sign or place one.</exception>
    /// <exception cref="StandbyException">The key is gone or unreadable, or BACKREST_PRIMARY_TLS_CA (or the pinned CA) is not a CA certificate.</exception>
    public string Prepare()
    {
        var folder = standby.Value.TlsDirectory;
        var keyPath = TlsClientFiles.PrivateKeyPathIn(folder);
        var key = SafeFile.ReadText(keyPath) ?? throw StandbyException.Refused($"the TLS key {keyPath} is missing", "start the worker again: it makes a new key and request, whose certificate must then be signed");
        TlsCertificateCheck check;
        try
        {
            check = TlsCertificateCheck.Decide(key, PlacedCertificate(folder), time.GetUtcNow());
        }
        catch (InvalidDataException unreadable)
        {
            throw StandbyException.Refused($"the TLS key {keyPath} cannot be read: {unreadable.Message}", $"remove {keyPath} and {TlsClientFiles.RequestPathIn(folder)}, then start the worker: it makes a new key and request, to be signed again");
        }

        if (!check.IsOk || check.Certificate is not { } certificate)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, check.Problem ?? "no signed certificate yet");
        }

        var pin = Pin(folder, certificate);
        if (pin.IssuerProblem(certificate) is { } problem)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, problem);
        }

        // What pgbackrest.conf points at when the certificate or the CA comes in a variable (TlsClientFiles.CertificateFor, CaFor).
        var files = new RunFiles(standby.Value);
        if (standby.Value.TlsCertificatePem is { } placed)
        {
            folders.WriteOwnedFile(files.TlsCertificate, placed, Public);
        }

        if (repository.Value.TlsCaPem is not null)
        {
            folders.WriteOwnedFile(files.TlsCa, pin.Pem, Public);
        }
        if (certificate.ExpiresWithin(ExpiryWarning, time.GetUtcNow()) && Current?.FingerprintSha256 != certificate.FingerprintSha256)
        {
            Log.TlsCertificateExpiresSoon(logger, certificate.Subject, certificate.NotAfter);
        }

        Current = certificate;
        return $"CA {pin.Subject} {pin.FingerprintSha256} ({Why(pin.Source)})";
    }

    /// <summary>How long before its end a certificate is reported as expiring (status, metric, log).</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    private string? PlacedCertificate(string folder)
    {
        var options = standby.Value;
        return options.TlsCertificatePem
            ?? SafeFile.ReadText(options.TlsCertificateFile ?? TlsClientFiles.CertificatePathIn(folder));
    }

    private TlsCaPin Pin(string folder, TlsClientCertificate certificate)
    {
        var options = repository.Value;
        var recordedPath = TlsClientFiles.CaPathIn(folder);
        var explicitPem = options.TlsCaPem ?? (options.TlsCaFile is { } file ? SafeFile.ReadText(file) ?? throw StandbyException.Refused($"BACKREST_PRIMARY_TLS_CA_FILE names {file}, which cannot be read", "name the file holding the primary's CA certificate (PEM)") : null);
        if (explicitPem is not null)
        {
            return Checked(TlsCaPin.FromVariable(explicitPem), "set BACKREST_PRIMARY_TLS_CA (or _FILE) to the primary's CA certificate (setup-primary.sh prints its path)");
        }

        if (SafeFile.ReadText(recordedPath) is { } recorded)
        {
            return Checked(TlsCaPin.FromRecorded(recorded), $"remove {recordedPath} to pin the CA of the placed bundle again");
        }

        var first = TlsCaPin.FromBundle(certificate);
        if (first.Pin is not { } pin)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, first.Problem ?? "the placed certificate carries no CA certificate to pin");
        }

        folders.WriteOwnedFile(recordedPath, pin.Pem, Public);
        Log.TlsCaPinned(logger, pin.Subject, pin.FingerprintSha256, recordedPath);
        return pin;
    }

    private static TlsCaPin Checked(TlsCaPinResult result, string fix) =>
        result.Pin ?? throw StandbyException.Refused(result.Problem ?? "the pinned CA is not a CA certificate", fix);

    private static string Why(TlsCaPinSource source) => source switch
    {
        TlsCaPinSource.Variable => "pinned by BACKREST_PRIMARY_TLS_CA",
        TlsCaPinSource.Recorded => "pinned on first use",
        _ => "trusted on first use",
    };
}
