using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>
/// The facts of a placed bundle an operator compares: the client certificate (the bundle's first) and the CA
/// certificates after it, each as PEM text.
/// </summary>
public sealed record TlsClientCertificate(
    string Subject,
    string? CommonName,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string FingerprintSha256,
    string FingerprintColonHex,
    string Pem,
    IReadOnlyList<string> CaCertificatesPem)
{
    /// <summary>True when it expires within <paramref name="window"/> of <paramref name="now"/> (or has expired).</summary>
    public bool ExpiresWithin(TimeSpan window, DateTimeOffset now) => NotAfter - now <= window;

    internal static TlsClientCertificate From(X509Certificate2 certificate, IEnumerable<byte[]> caCertificates) => new(
        certificate.Subject,
        TlsCommonName.Of(certificate.SubjectName),
        certificate.Issuer,
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
        new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
        TlsFingerprint.Sha256Base64(certificate.RawData),
        TlsFingerprint.Sha256ColonHex(certificate.RawData),
        TlsPemContent.ToPem(certificate.RawData),
        [.. caCertificates.Select(TlsPemContent.ToPem)]);
}
