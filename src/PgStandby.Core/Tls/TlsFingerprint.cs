using System.Security.Cryptography;

namespace PgStandby.Core.Tls;

/// <summary>SHA-256 fingerprints of a certificate's DER bytes, in the two forms operators compare.</summary>
public static class TlsFingerprint
{
    /// <summary>"SHA256:&lt;base64 without padding&gt;", as OpenSSH prints fingerprints.</summary>
    public static string Sha256Base64(ReadOnlySpan<byte> der) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(der)).TrimEnd('=');

    /// <summary>"AB:CD:…", as <c>openssl x509 -noout -fingerprint -sha256</c> prints it.</summary>
    public static string Sha256ColonHex(ReadOnlySpan<byte> der) => string.Join(':', SHA256.HashData(der).Select(b => b.ToString("X2", null)));
}
