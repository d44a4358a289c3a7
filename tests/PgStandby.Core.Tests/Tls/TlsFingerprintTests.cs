using System.Security.Cryptography;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

public sealed class TlsFingerprintTests
{
    [Fact]
    public void Sha256Base64_EmptyInput_IsTheKnownDigestWithoutPadding()
    {
        // Act
        var fingerprint = TlsFingerprint.Sha256Base64([]);

        // Assert
        Assert.Equal("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", fingerprint);
    }

    [Fact]
    public void Sha256ColonHex_EmptyInput_IsTheKnownDigestAsOpensslPrintsIt()
    {
        // Act
        var fingerprint = TlsFingerprint.Sha256ColonHex([]);

        // Assert
        Assert.Equal(
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55",
            fingerprint);
    }

    [Fact]
    public void Sha256_Certificate_IsTheDigestOfItsDer()
    {
        // Arrange
        using var ca = TestCa.Create();
        var hash = SHA256.HashData(ca.Certificate.RawData);

        // Act
        var base64 = TlsFingerprint.Sha256Base64(ca.Certificate.RawData);
        var hex = TlsFingerprint.Sha256ColonHex(ca.Certificate.RawData);

        // Assert
        Assert.Equal("SHA256:" + Convert.ToBase64String(hash).Replace("=", string.Empty, StringComparison.Ordinal), base64);
        Assert.Equal(BitConverter.ToString(hash).Replace('-', ':'), hex);
        Assert.Equal(ca.Certificate.GetCertHashString(HashAlgorithmName.SHA256), hex.Replace(":", string.Empty, StringComparison.Ordinal));
    }
}
