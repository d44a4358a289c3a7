using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Ssh;

public sealed class HostKeyTrustTests
{
    [Fact]
    public void Decide_PinnedKeyMatchesAndNotRecorded_AcceptsAndRecords()
    {
        // Arrange
        var pinned = PinnedHostKey.TryParse(SampleKeys.Ed25519Fingerprint);

        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, pinned, []);

        // Assert
        Assert.True(verdict.Accepted);
        Assert.True(verdict.Record);
        Assert.Contains("BACKREST_PRIMARY_HOST_KEY", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PinnedKeyMatchesAndAlreadyRecorded_AcceptsWithoutRecording()
    {
        // Arrange
        var pinned = PinnedHostKey.TryParse("ssh-ed25519 " + SampleKeys.Ed25519Base64);

        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, pinned, [SampleKeys.Ed25519]);

        // Assert
        Assert.True(verdict.Accepted);
        Assert.False(verdict.Record);
    }

    [Fact]
    public void Decide_PinnedKeyMismatch_RefusesEvenWhenKnownHostsHoldsPresentedKey()
    {
        // Arrange
        var pinned = PinnedHostKey.TryParse(SampleKeys.OtherEd25519Fingerprint);

        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, pinned, [SampleKeys.Ed25519]);

        // Assert
        Assert.False(verdict.Accepted);
        Assert.False(verdict.Record);
        Assert.Contains(SampleKeys.Ed25519Fingerprint, verdict.Reason, StringComparison.Ordinal);
        Assert.Contains(SampleKeys.OtherEd25519Fingerprint, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FirstUse_AcceptsAndRecords()
    {
        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, null, []);

        // Assert
        Assert.True(verdict.Accepted);
        Assert.True(verdict.Record);
    }

    [Fact]
    public void Decide_KnownKeyMatches_AcceptsWithoutRecording()
    {
        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, null, [SampleKeys.Rsa, SampleKeys.Ed25519]);

        // Assert
        Assert.True(verdict.Accepted);
        Assert.False(verdict.Record);
    }

    [Fact]
    public void Decide_KnownKeyOfSameTypeChanged_Refuses()
    {
        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.OtherEd25519, null, [SampleKeys.Ed25519]);

        // Assert
        Assert.False(verdict.Accepted);
        Assert.False(verdict.Record);
        Assert.Contains("changed", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains(SampleKeys.OtherEd25519Fingerprint, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OnlyOtherKeyTypesKnown_RefusesWithoutRecording()
    {
        // Act
        var verdict = HostKeyTrust.Decide(SampleKeys.Ed25519, null, [SampleKeys.Rsa]);

        // Assert
        Assert.False(verdict.Accepted);
        Assert.False(verdict.Record);
        Assert.Contains("other key types", verdict.Reason, StringComparison.Ordinal);
    }
}
