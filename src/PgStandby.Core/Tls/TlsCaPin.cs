using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>The CA the standby trusts for the primary's pgBackRest TLS server (repo1-host-ca-file), and the check that it signed the standby's certificate.</summary>
public sealed record TlsCaPin(TlsCaPinSource Source, string Pem, string Subject, string FingerprintSha256, string FingerprintColonHex, DateTimeOffset NotAfter)
{
    private const string BasicConstraintsOid = "2.5.29.19";

    public static TlsCaPinResult FromVariable(string pem) => Parse(pem, TlsCaPinSource.Variable);

    public static TlsCaPinResult FromRecorded(string pem) => Parse(pem, TlsCaPinSource.Recorded);

    /// <summary>Trust on first use: the bundle's last CA certificate, the top of the chain it carries.</summary>
    public static TlsCaPinResult FromBundle(TlsClientCertificate certificate) =>
        certificate.CaCertificatesPem.Count == 0
            ? new(null, $"{TlsClientFiles.CertificateName} holds no CA certificate after the client certificate, so there is no CA to pin: {FixFor(TlsCaPinSource.Bundle)}")
            : Parse(certificate.CaCertificatesPem[^1], TlsCaPinSource.Bundle);

    /// <summary>Null when the client certificate chains to this CA (through the bundle's CA certificates); otherwise the problem and its fix.</summary>
    public string? IssuerProblem(TlsClientCertificate certificate)
    {
        using var client = X509Certificate2.CreateFromPem(certificate.Pem);
        using var anchor = X509Certificate2.CreateFromPem(Pem);
        var intermediates = certificate.CaCertificatesPem.Select(p => X509Certificate2.CreateFromPem(p)).ToList();
        using var chain = new X509Chain();
        try
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(anchor);
            chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            // Validity is TlsCertificateCheck's verdict; this only asks who signed it.
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
            if (chain.Build(client))
            {
                return null;
            }

            // A CA of the same name but another key reaches the anchor by name and fails its signature: another CA too.
            var reachedAnchor = chain.ChainElements.Count > 0 && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(anchor.RawData);
            var otherCa = !reachedAnchor || chain.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotSignatureValid));
            if (!otherCa)
            {
                var statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                return $"{TlsClientFiles.CertificateName} ({certificate.Subject}) does not verify against the pinned CA {Subject} ({FingerprintSha256}): {statuses}";
            }

            var sameName = certificate.Issuer == Subject ? " (a CA of the same name but another key: was the CA made again?)" : string.Empty;
            return $"{TlsClientFiles.CertificateName} ({certificate.Subject}) was signed by CA {certificate.Issuer}, but the pinned CA is {Subject} ({FingerprintSha256}, {Origin(Source)}){sameName}: "
                + $"sign the request with the primary's CA (setup-primary.sh --sign-csr) or {MismatchFixFor(Source)}";
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }

            intermediates.ForEach(c => c.Dispose());
        }
    }

    private static TlsCaPinResult Parse(string pem, TlsCaPinSource source)
    {
        var content = TlsPemContent.Read(pem);
        if (content.Certificates.Count == 0 || content.UnreadableCertificates > 0)
        {
            return new(null, $"{Origin(source)} holds {content.Describe()}: {FixFor(source)}");
        }

        if (content.Certificates.Count > 1)
        {
            return new(null, $"{Origin(source)} holds {content.Certificates.Count} certificates, not one CA certificate: {FixFor(source)}");
        }

        using var ca = X509CertificateLoader.LoadCertificate(content.Certificates[0]);
        var constraints = ca.Extensions.FirstOrDefault(e => e.Oid?.Value == BasicConstraintsOid);
        if (constraints is not null && !new X509BasicConstraintsExtension(constraints, constraints.Critical).CertificateAuthority)
        {
            return new(null, $"{Origin(source)} ({ca.Subject}) is not a CA certificate (basicConstraints CA:FALSE: a server's or a client's own certificate?): {FixFor(source)}");
        }

        return new(
            new TlsCaPin(
                source,
                TlsPemContent.ToPem(ca.RawData),
                ca.Subject,
                TlsFingerprint.Sha256Base64(ca.RawData),
                TlsFingerprint.Sha256ColonHex(ca.RawData),
                new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero)),
            null);
    }

    private static string Origin(TlsCaPinSource source) => source switch
    {
        TlsCaPinSource.Variable => "BACKREST_PRIMARY_TLS_CA",
        TlsCaPinSource.Recorded => TlsClientFiles.CaName,
        _ => $"the CA certificate of {TlsClientFiles.CertificateName}",
    };

    private static string FixFor(TlsCaPinSource source) => source switch
    {
        TlsCaPinSource.Variable => "set BACKREST_PRIMARY_TLS_CA (or BACKREST_PRIMARY_TLS_CA_FILE) to the PEM certificate of the CA that signs the primary's pgBackRest server certificate",
        TlsCaPinSource.Recorded => $"remove {TlsClientFiles.CaName} to pin the CA of {TlsClientFiles.CertificateName} again, or set BACKREST_PRIMARY_TLS_CA",
        _ => $"place the bundle setup-primary.sh --sign-csr writes (the client certificate, then the CA's), or set BACKREST_PRIMARY_TLS_CA",
    };

    private static string MismatchFixFor(TlsCaPinSource source) => source switch
    {
        TlsCaPinSource.Variable => "fix BACKREST_PRIMARY_TLS_CA",
        TlsCaPinSource.Recorded => $"if the primary's CA changed on purpose, remove {TlsClientFiles.CaName} to pin the new one",
        _ => $"place the CA that signed it after the client certificate in {TlsClientFiles.CertificateName}",
    };
}
