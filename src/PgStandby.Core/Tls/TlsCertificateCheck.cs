using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>The verdict on the certificate bundle the operator placed, and its facts when it holds a certificate.</summary>
public sealed record TlsCertificateCheck(TlsCertificateVerdict Verdict, string? Problem, TlsClientCertificate? Certificate)
{
    private static readonly string SignAgain =
        $"have the primary's CA sign this standby's {TlsClientFiles.RequestName} (setup-primary.sh --sign-csr) and place the result as {TlsClientFiles.CertificateName}";

    public bool IsOk => Verdict == TlsCertificateVerdict.Ok;

    /// <summary>
    /// Decides in this order: Missing, NotPem, WrongKey, NotYetValid, Expired, NotForClientAuth, Ok. The bundle's first
    /// certificate is the client's; the ones after it are the CA certificates that signed it.
    /// </summary>
    /// <exception cref="InvalidDataException"><paramref name="privateKeyPem"/> is no readable private key.</exception>
    public static TlsCertificateCheck Decide(string privateKeyPem, string? bundlePem, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(bundlePem))
        {
            return new(TlsCertificateVerdict.Missing, $"no certificate yet: {SignAgain}", null);
        }

        var content = TlsPemContent.Read(bundlePem);
        if (content.Certificates.Count == 0 || content.UnreadableCertificates > 0)
        {
            return new(TlsCertificateVerdict.NotPem, $"{TlsClientFiles.CertificateName} holds {content.Describe()}: {SignAgain} (PEM, '-----BEGIN CERTIFICATE-----')", null);
        }

        using var client = X509CertificateLoader.LoadCertificate(content.Certificates[0]);
        var facts = TlsClientCertificate.From(client, content.Certificates.Skip(1));
        var key = TlsPrivateKey.SubjectPublicKeyInfo(privateKeyPem);
        if (!HasKey(content.Certificates[0], key))
        {
            var misplaced = content.Certificates.Skip(1).Any(c => HasKey(c, key))
                ? "; a later certificate of the bundle is this standby's: put it first, then its CA"
                : string.Empty;
            return new(
                TlsCertificateVerdict.WrongKey,
                $"{TlsClientFiles.CertificateName} ({facts.Subject}, {facts.FingerprintSha256}) was signed for another request: its public key is not this standby's ({TlsClientFiles.PrivateKeyName}); {SignAgain}{misplaced}",
                facts);
        }

        if (now < facts.NotBefore)
        {
            return new(TlsCertificateVerdict.NotYetValid, $"{TlsClientFiles.CertificateName} ({facts.Subject}) is not valid before {Format(facts.NotBefore)} (now {Format(now)}): check this machine's clock and the CA's", facts);
        }

        if (now > facts.NotAfter)
        {
            return new(TlsCertificateVerdict.Expired, $"{TlsClientFiles.CertificateName} ({facts.Subject}) expired on {Format(facts.NotAfter)}: {SignAgain}", facts);
        }

        return TlsClientAuthUsage.ProblemWith(client) is { } usage
            ? new(TlsCertificateVerdict.NotForClientAuth, $"{TlsClientFiles.CertificateName} ({facts.Subject}) cannot authenticate a TLS client: {usage}; {SignAgain} (it signs for clientAuth)", facts)
            : new(TlsCertificateVerdict.Ok, null, facts);
    }

    /// <summary>The 30-day warning: true when a certificate was read and expires within <paramref name="window"/>.</summary>
    public bool ExpiresWithin(TimeSpan window, DateTimeOffset now) => Certificate?.ExpiresWithin(window, now) ?? false;

    internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static bool HasKey(byte[] certificateDer, byte[] subjectPublicKeyInfo)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        return certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(subjectPublicKeyInfo);
    }
}
