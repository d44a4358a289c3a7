using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Ssh;

public sealed class PinnedHostKeyTests
{
    [Theory]
    [InlineData("ssh-ed25519 " + SampleKeys.Ed25519Base64)]
    [InlineData("ssh-ed25519 " + SampleKeys.Ed25519Base64 + " root@primary")]
    [InlineData(SampleKeys.Host + " ssh-ed25519 " + SampleKeys.Ed25519Base64)]
    [InlineData("[" + SampleKeys.Host + "]:2222 ssh-ed25519 " + SampleKeys.Ed25519Base64 + " comment")]
    [InlineData("  " + SampleKeys.Host + "   ssh-ed25519   " + SampleKeys.Ed25519Base64 + "  ")]
    public void TryParse_KnownHostsLine_KeepsWholeKey(string text)
    {
        // Act
        var pinned = PinnedHostKey.TryParse(text);

        // Assert
        Assert.NotNull(pinned);
        Assert.NotNull(pinned.Key);
        Assert.True(pinned.Key.SameAs(SampleKeys.Ed25519));
        Assert.Equal(SampleKeys.Ed25519Fingerprint, pinned.Fingerprint);
    }

    [Theory]
    [InlineData(SampleKeys.Ed25519Fingerprint)]
    [InlineData(SampleKeys.Ed25519Fingerprint + "=")]
    [InlineData(" " + SampleKeys.Ed25519Fingerprint + " ")]
    public void TryParse_Sha256Fingerprint_KeepsFingerprintOnly(string text)
    {
        // Act
        var pinned = PinnedHostKey.TryParse(text);

        // Assert
        Assert.NotNull(pinned);
        Assert.Null(pinned.Key);
        Assert.Equal(SampleKeys.Ed25519Fingerprint, pinned.Fingerprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("SHA256:")]
    [InlineData("SHA256:short")]
    [InlineData("SHA256:has a space in the middle of it")]
    [InlineData("MD5:12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ed25519 not-base64!")]
    [InlineData("ssh-rsa " + SampleKeys.Ed25519Base64)]
    [InlineData("a b ssh-ed25519 " + SampleKeys.Ed25519Base64)]
    public void TryParse_Garbage_ReturnsNull(string text)
    {
        // Act
        var pinned = PinnedHostKey.TryParse(text);

        // Assert
        Assert.Null(pinned);
    }

    [Fact]
    public void Matches_PinnedWholeKey_AcceptsOnlyThatKey()
    {
        // Arrange
        var pinned = PinnedHostKey.TryParse("ssh-ed25519 " + SampleKeys.Ed25519Base64)!;

        // Act
        var same = pinned.Matches(SampleKeys.Ed25519);
        var other = pinned.Matches(SampleKeys.OtherEd25519);

        // Assert
        Assert.True(same);
        Assert.False(other);
    }

    [Fact]
    public void Matches_PinnedFingerprint_AcceptsOnlyKeyWithThatFingerprint()
    {
        // Arrange
        var pinned = PinnedHostKey.TryParse(SampleKeys.RsaFingerprint)!;

        // Act
        var same = pinned.Matches(SampleKeys.Rsa);
        var other = pinned.Matches(SampleKeys.Ed25519);

        // Assert
        Assert.True(same);
        Assert.False(other);
    }
}
