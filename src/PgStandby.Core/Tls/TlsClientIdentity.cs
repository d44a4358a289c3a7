using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>A new TLS client identity: an ECDSA P-256 key and the request the primary's CA signs.</summary>
public sealed record TlsClientIdentity(string CommonName, string PrivateKeyPem, string RequestPem)
{
    /// <summary>id-kp-clientAuth, RFC 5280 4.2.1.12.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>CN=&lt;standbyName&gt;-&lt;8 hex&gt;, SHA-256 signature, extendedKeyUsage clientAuth.</summary>
    public static TlsClientIdentity Create(string standbyName)
    {
        var commonName = TlsCommonName.For(standbyName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], critical: false));
        return new TlsClientIdentity(commonName, key.ExportPkcs8PrivateKeyPem(), request.CreateSigningRequestPem());
    }

    /// <summary>The CN of a request whose signature holds; null when the text is not such a request.</summary>
    public static string? ReadCommonName(string requestPem)
    {
        try
        {
            return TlsCommonName.Of(CertificateRequest.LoadSigningRequestPem(requestPem, HashAlgorithmName.SHA256).SubjectName);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Without the private key: a record's generated ToString would print it.</summary>
    public override string ToString() => $"TlsClientIdentity {{ CommonName = {CommonName} }}";
}
