using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

public sealed class SupervisionOptionsSetupTests
{
    [Fact]
    public void Configure_NothingSet_KeepsDefaults()
    {
        // Arrange
        var configuration = TestConfiguration.From();

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MonitorInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StopTimeout);
    }

    [Fact]
    public void Configure_SecondsSet_BindsThemAsDurations()
    {
        // Arrange
        var configuration = TestConfiguration.From(
            ("PGSTANDBY_RETRY_SECONDS", "12"),
            ("PGSTANDBY_MONITOR_SECONDS", " 30 "),
            ("PGSTANDBY_STOP_TIMEOUT_SECONDS", "90"));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(TimeSpan.FromSeconds(12), options.RetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MonitorInterval);
        Assert.Equal(TimeSpan.FromSeconds(90), options.StopTimeout);
    }

    [Theory]
    [InlineData("PGSTANDBY_RETRY_SECONDS", "0")]
    [InlineData("PGSTANDBY_RETRY_SECONDS", "3601")]
    [InlineData("PGSTANDBY_RETRY_SECONDS", "5s")]
    [InlineData("PGSTANDBY_RETRY_SECONDS", "1.5")]
    [InlineData("PGSTANDBY_RETRY_SECONDS", "$(id)")]
    [InlineData("PGSTANDBY_MONITOR_SECONDS", "-5")]
    [InlineData("PGSTANDBY_STOP_TIMEOUT_SECONDS", "4")]
    [InlineData("PGSTANDBY_STALL_TIMEOUT", "9")]
    public void Configure_BadSeconds_RefusedAndDefaultKept(string variable, string value)
    {
        // Arrange
        var configuration = TestConfiguration.From((variable, value));

        // Act
        var options = Bind(configuration);

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(variable + " must be a whole number", problem, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StopTimeout);
    }

    private static SupervisionOptions Bind(IConfiguration configuration)
    {
        var options = new SupervisionOptions();
        new SupervisionOptionsSetup(configuration).Configure(options);
        return options;
    }

    [Fact]
    public void Configure_ResyncOnGapNotABoolean_RefusedNamingIt()
    {
        // Arrange
        var configuration = TestConfiguration.From(("PGSTANDBY_RESYNC_ON_GAP", "maybe"));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Equal("PGSTANDBY_RESYNC_ON_GAP must be true or false (got 'maybe').", Assert.Single(options.Problems));
        Assert.False(options.ResyncOnGap);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void Configure_ResyncOnGap_ReadsBooleans(string value, bool expected)
    {
        // Arrange
        var configuration = TestConfiguration.From(("PGSTANDBY_RESYNC_ON_GAP", value));
        var options = new SupervisionOptions();

        // Act
        new SupervisionOptionsSetup(configuration).Configure(options);

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(expected, options.ResyncOnGap);
    }
}
