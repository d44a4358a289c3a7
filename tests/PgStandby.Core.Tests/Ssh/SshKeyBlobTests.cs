using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Ssh;

public sealed class SshKeyBlobTests
{
    [Theory]
    [InlineData(SampleKeys.Ed25519Base64, "ssh-ed25519")]
    [InlineData(SampleKeys.RsaBase64, "ssh-rsa")]
    public void KeyType_PublicKeyBlob_ReadsTypeFromWireFormat(string base64, string expected)
    {
        // Act
        var type = SshKeyBlob.FromBase64(base64)!.KeyType;

        // Assert
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData(SampleKeys.Ed25519Base64, SampleKeys.Ed25519Fingerprint)]
    [InlineData(SampleKeys.OtherEd25519Base64, SampleKeys.OtherEd25519Fingerprint)]
    [InlineData(SampleKeys.RsaBase64, SampleKeys.RsaFingerprint)]
    public void FingerprintSha256_PublicKeyBlob_MatchesSshKeygen(string base64, string expected)
    {
        // Act
        var fingerprint = SshKeyBlob.FromBase64(base64)!.FingerprintSha256;

        // Assert
        Assert.Equal(expected, fingerprint);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0, 0, 0, 200, 1, 2 })]
    [InlineData(new byte[] { 255, 255, 255, 255, 1 })]
    public void KeyType_MalformedBlob_IsUnknown(byte[] blob)
    {
        // Act
        var type = new SshKeyBlob(blob).KeyType;

        // Assert
        Assert.Equal("unknown", type);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA=AAA")]
    public void FromBase64_Garbage_ReturnsNull(string text)
    {
        // Act
        var blob = SshKeyBlob.FromBase64(text);

        // Assert
        Assert.Null(blob);
    }

    [Fact]
    public void Base64_Blob_RoundTrips()
    {
        // Act
        var base64 = SampleKeys.Ed25519.Base64;

        // Assert
        Assert.Equal(SampleKeys.Ed25519Base64, base64);
    }

    [Fact]
    public void SameAs_EqualAndDifferentKeys_ComparesBytes()
    {
        // Act
        var same = SampleKeys.Ed25519.SameAs(SshKeyBlob.FromBase64(SampleKeys.Ed25519Base64)!);
        var different = SampleKeys.Ed25519.SameAs(SampleKeys.OtherEd25519);

        // Assert
        Assert.True(same);
        Assert.False(different);
    }
}
