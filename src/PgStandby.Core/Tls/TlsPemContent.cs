using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tls;

/// <summary>The PEM blocks of a text: every label found, and the DER bytes of its readable certificates, in order.</summary>
internal sealed record TlsPemContent(IReadOnlyList<string> Labels, IReadOnlyList<byte[]> Certificates, int UnreadableCertificates)
{
    private const string CertificateLabel = "CERTIFICATE";

    public static TlsPemContent Read(string text)
    {
        var labels = new List<string>();
        var certificates = new List<byte[]>();
        var unreadable = 0;
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            labels.Add(label);
            if (label == CertificateLabel)
            {
                if (ReadCertificate(rest[fields.Base64Data], fields.DecodedDataLength) is { } der)
                {
                    certificates.Add(der);
                }
                else
                {
                    unreadable++;
                }
            }

            rest = rest[fields.Location.End..];
        }

        return new TlsPemContent(labels, certificates, unreadable);
    }

    /// <summary>What the text holds instead of usable certificates, for a message; never the text itself.</summary>
    public string Describe()
    {
        if (Labels.Count == 0)
        {
            return "no PEM block (no '-----BEGIN CERTIFICATE-----' line followed by base64 and its END line)";
        }

        if (UnreadableCertificates > 0)
        {
            return $"{UnreadableCertificates} CERTIFICATE block(s) that are not X.509 certificates";
        }

        return Labels.Any(l => l.EndsWith("CERTIFICATE REQUEST", StringComparison.Ordinal))
            ? "the request (CERTIFICATE REQUEST), not the certificate signed from it"
            : $"no certificate, only {string.Join(", ", Labels.Distinct())} block(s)";
    }

    public static string ToPem(byte[] der) => new string(PemEncoding.Write(CertificateLabel, der)) + "\n";

    private static byte[]? ReadCertificate(ReadOnlySpan<char> base64, int length)
    {
        var der = new byte[length];
        if (!Convert.TryFromBase64Chars(base64, der, out var written) || written != length)
        {
            return null;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return der;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
