using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>PG_PRIMARY_SSLMODE and PG_PRIMARY_SSLROOTCERT: TLS of the replication connection.</summary>
public sealed partial class ReplicationOptionsSetupTests
{
    [Fact]
    public void Configure_NoTlsVariables_PreferWithoutRootCertificate()
    {
        // Act
        var options = Bind(TestConfiguration.From());

        // Assert
        Assert.Equal("prefer", options.SslMode);
        Assert.Null(options.SslRootCert);
        Assert.False(options.VerifiesPrimary);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("allow")]
    [InlineData("prefer")]
    [InlineData("require")]
    [InlineData(" require ")]
    public void Configure_SslModeWithoutVerification_AcceptedWithoutRootCertificate(string mode)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", mode)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(mode.Trim(), options.SslMode);
    }

    [Theory]
    [InlineData("verify-ca")]
    [InlineData("verify-full")]
    public void Configure_VerifyingSslModeWithRootCertificate_Accepted(string mode)
    {
        // Arrange
        using var temp = new TempDirectory();
        var certificate = temp.WriteFile("root.crt", "-----BEGIN CERTIFICATE-----\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", mode), ("PG_PRIMARY_SSLROOTCERT", certificate)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(mode, options.SslMode);
        Assert.Equal(certificate, options.SslRootCert);
        Assert.True(options.VerifiesPrimary);
    }

    [Theory]
    [InlineData("verify-ca")]
    [InlineData("verify-full")]
    public void Configure_VerifyingSslModeWithoutRootCertificate_ProblemNamesBothVariables(string mode)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", mode)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_PRIMARY_SSLROOTCERT is required when PG_PRIMARY_SSLMODE is " + mode, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PREFER")]
    [InlineData("verify_full")]
    [InlineData("on")]
    [InlineData("require sslcert=/tmp/x")]
    [InlineData("require'")]
    [InlineData("prefer\nInjected log line")]
    public void Configure_UnknownSslMode_RefusedListingAllowedModes(string mode)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", mode)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_PRIMARY_SSLMODE must be one of disable, allow, prefer, require, verify-ca, verify-full", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
        Assert.Equal("prefer", options.SslMode);
    }

    [Fact]
    public void Configure_RootCertificateMissing_ProblemNamesVariableAndPath()
    {
        // Arrange
        using var temp = new TempDirectory();
        var certificate = temp.Combine("missing.crt");

        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", "verify-full"), ("PG_PRIMARY_SSLROOTCERT", certificate)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_PRIMARY_SSLROOTCERT names " + certificate + ", which is not a file", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root.crt")]
    [InlineData("/etc/ssl/with space.crt")]
    [InlineData("/etc/ssl/quote'd.crt")]
    public void Configure_RootCertificateBadPath_RefusedOnce(string path)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", "verify-ca"), ("PG_PRIMARY_SSLROOTCERT", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_PRIMARY_SSLROOTCERT must be an absolute path", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_RootCertificateWithRequire_Accepted()
    {
        // Arrange: with a root certificate, libpq's require verifies the CA as verify-ca does.
        using var temp = new TempDirectory();
        var certificate = temp.WriteFile("root.crt", "-----BEGIN CERTIFICATE-----\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_PRIMARY_SSLMODE", "require"), ("PG_PRIMARY_SSLROOTCERT", certificate)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(certificate, options.SslRootCert);
    }
}
