using System.Security.Cryptography;

namespace PgStandby.Core.Tls;

/// <summary>The public half of the standby's private key, to compare with a certificate's.</summary>
internal static class TlsPrivateKey
{
    /// <summary>The SubjectPublicKeyInfo DER of a PEM private key (EC, as created here, or RSA).</summary>
    /// <exception cref="InvalidDataException">The text holds no readable EC or RSA private key.</exception>
    public static byte[] SubjectPublicKeyInfo(string privateKeyPem)
    {
        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(privateKeyPem);
            return ec.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Not an EC key: perhaps an RSA key an operator supplied.
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(privateKeyPem);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"{TlsClientFiles.PrivateKeyName} holds no readable EC or RSA private key in PEM: remove it and the worker creates a new key and request", e);
        }
    }
}
