using PgStandby.Core.Configuration;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Ssh;

public sealed class PinnedHostKeyRuleTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(SampleKeys.Ed25519Fingerprint)]
    [InlineData("ssh-ed25519 " + SampleKeys.Ed25519Base64)]
    public void Validate_UnsetOrAKeyOrAFingerprint_Succeeds(string? pinned)
    {
        // Act
        var result = new PinnedHostKeyRule().Validate(null, new RepositoryOptions { PinnedHostKey = pinned });

        // Assert
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("SHA256:tooshort")]
    [InlineData("ssh-ed25519 not-base64!")]
    [InlineData("ssh-rsa " + SampleKeys.Ed25519Base64)]
    public void Validate_Garbage_NamesTheVariableAndBothForms(string pinned)
    {
        // Act
        var result = new PinnedHostKeyRule().Validate(null, new RepositoryOptions { PinnedHostKey = pinned });

        // Assert
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("BACKREST_PRIMARY_HOST_KEY must be a known_hosts line", failure, StringComparison.Ordinal);
        Assert.Contains("SHA256:", failure, StringComparison.Ordinal);
    }
}
