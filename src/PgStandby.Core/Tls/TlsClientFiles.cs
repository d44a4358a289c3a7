using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Tls;

/// <summary>The files of the standby's TLS identity (BACKREST_REPO_TRANSPORT=tls), all in one folder.</summary>
public static class TlsClientFiles
{
    /// <summary>The private key, PKCS#8 PEM, mode 0600.</summary>
    public const string PrivateKeyName = "pgstandby-tls.key";

    /// <summary>The PKCS#10 request the operator has the primary's CA sign.</summary>
    public const string RequestName = "pgstandby-tls.csr";

    /// <summary>The signed certificate the operator places: the client certificate first, then the CA certificate(s) that signed it.</summary>
    public const string CertificateName = "pgstandby-tls.crt";

    /// <summary>The primary's CA the worker pins, given or trusted on first use.</summary>
    public const string CaName = "pgstandby-tls-ca.crt";

    public static string PrivateKeyPathIn(string tlsDirectory) => Path.Combine(tlsDirectory, PrivateKeyName);

    public static string RequestPathIn(string tlsDirectory) => Path.Combine(tlsDirectory, RequestName);

    public static string CertificatePathIn(string tlsDirectory) => Path.Combine(tlsDirectory, CertificateName);

    public static string CaPathIn(string tlsDirectory) => Path.Combine(tlsDirectory, CaName);

    /// <summary>The request alone, for <c>pgstandby show-key</c>; null before the first start made it. Not through a link.</summary>
    public static string? ReadRequest(string tlsDirectory) => SafeFile.ReadText(RequestPathIn(tlsDirectory))?.Trim();

    /// <summary>
    /// The certificate file pgBackRest presents: the placed file itself (PGSTANDBY_TLS_CERT_FILE, or the one in the
    /// TLS folder), so that a new bundle placed there is used from the next command on, a rotation without a restart;
    /// a certificate given in PGSTANDBY_TLS_CERT is copied to the run folder.
    /// </summary>
    public static string CertificateFor(StandbyOptions standby, RunFiles files) =>
        standby.TlsCertificatePem is not null ? files.TlsCertificate : standby.TlsCertificateFile ?? CertificatePathIn(standby.TlsDirectory);

    /// <summary>The CA file pgBackRest checks the server against: BACKREST_PRIMARY_TLS_CA_FILE, a copy of BACKREST_PRIMARY_TLS_CA, or the CA pinned on first use.</summary>
    public static string CaFor(RepositoryOptions repository, StandbyOptions standby, RunFiles files) =>
        repository.TlsCaPem is not null ? files.TlsCa : repository.TlsCaFile ?? CaPathIn(standby.TlsDirectory);
}
