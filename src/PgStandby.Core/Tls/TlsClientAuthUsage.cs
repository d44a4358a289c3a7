using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>
/// Whether OpenSSL, verifying a TLS client (purpose sslclient, as pgBackRest's server does), accepts a certificate's
/// usages: an extendedKeyUsage must list clientAuth, a keyUsage must allow digitalSignature or keyAgreement.
/// </summary>
internal static class TlsClientAuthUsage
{
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string KeyUsageOid = "2.5.29.15";

    /// <summary>Null when the certificate may authenticate a client; otherwise what forbids it.</summary>
    public static string? ProblemWith(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == ExtendedKeyUsageOid)
            {
                var usages = new X509EnhancedKeyUsageExtension(extension, extension.Critical).EnhancedKeyUsages.Cast<Oid>().ToList();
                if (!usages.Any(u => u.Value == TlsClientIdentity.ClientAuthOid))
                {
                    return $"its extendedKeyUsage ({string.Join(", ", usages.Select(u => u.FriendlyName ?? u.Value))}) lacks clientAuth";
                }
            }
            else if (extension.Oid?.Value == KeyUsageOid)
            {
                var usages = new X509KeyUsageExtension(extension, extension.Critical).KeyUsages;
                if ((usages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement)) == 0)
                {
                    return $"its keyUsage ({usages}) allows neither digitalSignature nor keyAgreement";
                }
            }
        }

        return null;
    }
}
