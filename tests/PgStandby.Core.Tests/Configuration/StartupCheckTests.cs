using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

public sealed class StartupCheckTests
{
    [Fact]
    public void LogWarnings_SeedsDefaultReplicationPassword_WarnsNamingTheVariableNotThePassword()
    {
        // Arrange
        var logger = new CapturingLogger();

        // Act
        StartupCheck.LogWarnings(new ReplicationOptions(), logger);

        // Assert
        var warning = Assert.Single(logger.Messages);
        Assert.Contains("PG_REPLICATION_PASSWORD", warning, StringComparison.Ordinal);
        Assert.Contains("default", warning, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{ReplicationOptions.DefaultPassword}'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void LogWarnings_PasswordOfItsOwn_SaysNothing()
    {
        // Arrange
        var logger = new CapturingLogger();

        // Act
        StartupCheck.LogWarnings(new ReplicationOptions { Password = "s3cret-Passw0rd" }, logger);

        // Assert
        Assert.Empty(logger.Messages);
    }
}
