using PgStandby.Core.Keys;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Keys;

public sealed class PublicKeyBannerTests
{
    [Fact]
    public void Format_PublicKey_StandsOnItsOwnLine()
    {
        // Act
        var banner = PublicKeyBanner.Format(SampleKeys.Ed25519PublicKeyLine, "~postgres/.ssh/authorized_keys", "postgres");

        // Assert
        var lines = banner.Split(Environment.NewLine);
        Assert.Contains(SampleKeys.Ed25519PublicKeyLine, lines);
        var index = Array.IndexOf(lines, SampleKeys.Ed25519PublicKeyLine);
        Assert.Equal(string.Empty, lines[index - 1]);
        Assert.Equal(string.Empty, lines[index + 1]);
    }

    [Fact]
    public void Format_PublicKey_GivesCopyableCommandsForThePrimary()
    {
        // Act
        var banner = PublicKeyBanner.Format(SampleKeys.Ed25519PublicKeyLine, "/root/.ssh/authorized_keys", "root");

        // Assert
        var lines = banner.Split(Environment.NewLine).Select(l => l.Trim()).ToList();
        Assert.Contains("echo '" + SampleKeys.Ed25519PublicKeyLine + "' >> /root/.ssh/authorized_keys", lines);
        Assert.Contains("chmod 600 /root/.ssh/authorized_keys", lines);
        Assert.StartsWith("=====", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("=====", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Format_PublicKey_NamesTheReadOnlyAccountAndTheVariableToSet()
    {
        // Act
        var banner = PublicKeyBanner.Format(SampleKeys.Ed25519PublicKeyLine, "~postgres/.ssh/authorized_keys", "postgres");

        // Assert
        var lines = banner.Split(Environment.NewLine).Select(l => l.Trim()).ToList();
        Assert.Contains("deploy/primary/setup-primary.sh --authorize-key '" + SampleKeys.Ed25519PublicKeyLine + "'", lines);
        Assert.Contains("then on this standby: BACKREST_PRIMARY_USER=pgstandby", lines);
    }

    [Fact]
    public void Format_ReadOnlyAccount_GivesSetupPrimaryOnly_NeverAnAppendToItsRootOwnedAuthorizedKeys()
    {
        // Act
        var banner = PublicKeyBanner.Format(SampleKeys.Ed25519PublicKeyLine, "~pgstandby/.ssh/authorized_keys", "pgstandby");

        // Assert
        var lines = banner.Split(Environment.NewLine).Select(l => l.Trim()).ToList();
        Assert.Contains("deploy/primary/setup-primary.sh --authorize-key '" + SampleKeys.Ed25519PublicKeyLine + "'", lines);
        Assert.DoesNotContain(lines, l => l.Contains(">>", StringComparison.Ordinal) || l.StartsWith("chmod", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("BACKREST_PRIMARY_USER=pgstandby", StringComparison.Ordinal));
        Assert.Contains(SampleKeys.Ed25519PublicKeyLine, lines);
    }

    [Theory]
    [InlineData("postgres", "lets in pgstandby, not postgres")]
    [InlineData("pgstandby", "lets in postgres, not pgstandby: then set BACKREST_PRIMARY_USER=postgres")]
    public void NextStep_EitherAccount_ExplainsAKeyAuthorizedForTheOther(string user, string expected)
    {
        // Act
        var step = PublicKeyBanner.NextStep(SampleKeys.Ed25519PublicKeyLine, "~" + user + "/.ssh/authorized_keys", user);

        // Assert
        Assert.Contains(expected, step, StringComparison.Ordinal);
        Assert.Contains("setup-primary.sh --authorize-key", step, StringComparison.Ordinal);
    }
}
