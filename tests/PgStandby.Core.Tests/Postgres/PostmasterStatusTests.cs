using PgStandby.Core.Postgres;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Postgres;

public sealed class PostmasterStatusTests
{
    [Theory]
    [InlineData("standby", true)]
    [InlineData("ready   ", true)]
    [InlineData("starting", false)]
    [InlineData("stopping", false)]
    public void IsAcceptingConnections_StatusLine_ReadsEighthLine(string status, bool expected)
    {
        // Arrange
        using var data = new TempDirectory();
        data.WriteFile("postmaster.pid", string.Join('\n', "4242", data.Path, "1700000000", "5432", "/run/postgresql", "*", "  5432001         0", status) + "\n");

        // Act
        var accepting = PostmasterStatus.IsAcceptingConnections(data.Path);

        // Assert
        Assert.Equal(expected, accepting);
    }

    [Fact]
    public void IsAcceptingConnections_NoPidFile_False()
    {
        // Arrange
        using var data = new TempDirectory();

        // Act
        var accepting = PostmasterStatus.IsAcceptingConnections(data.Path);

        // Assert
        Assert.False(accepting);
    }
}
