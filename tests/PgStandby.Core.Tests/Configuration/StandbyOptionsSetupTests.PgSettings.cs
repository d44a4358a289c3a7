using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>PG_SETTINGS, PG_SETTINGS_DIR and BACKREST_ARCHIVE_GET_QUEUE_MAX.</summary>
public sealed partial class StandbyOptionsSetupTests
{
    [Fact]
    public void Configure_NoSettingsVariables_NoExtraSettingsAndOneGibQueue()
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory)));

        // Assert
        Assert.Empty(options.ExtraSettings);
        Assert.Null(options.SettingsDirectory);
        Assert.Equal(1L << 30, options.ArchiveGetQueueMax);
    }

    [Fact]
    public void Configure_PgSettings_BindsThemInOrder()
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS", "hot_standby_feedback=on;work_mem=64MB")));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal([new("hot_standby_feedback", "on"), new("work_mem", "64MB")], options.ExtraSettings);
    }

    [Fact]
    public void Configure_PgSettingsManagedName_BoundForTheRenderersRuleToRefuse()
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS", "port=5433")));

        // Assert: the syntax is fine; Rendering.ExtraSettingsRules refuses it (ExtraSettingsRulesTests, CoreRegistrationTests).
        Assert.Empty(options.Problems);
        Assert.Equal([new("port", "5433")], options.ExtraSettings);
    }

    [Fact]
    public void Configure_SettingsDirectoryExists_Binds()
    {
        // Arrange
        var folder = _temp.CreateFolder("conf.d");

        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS_DIR", folder + "/")));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(folder, options.SettingsDirectory);
    }

    [Fact]
    public void Configure_SettingsDirectoryMissing_ProblemNamesVariableAndPath()
    {
        // Arrange
        var folder = _temp.Combine("no-such-conf.d");

        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS_DIR", folder)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_SETTINGS_DIR names " + folder + ", which is not a folder", problem, StringComparison.Ordinal);
        Assert.Null(options.SettingsDirectory);
    }

    [Fact]
    public void Configure_SettingsDirectoryIsFile_ProblemNamesVariable()
    {
        // Arrange
        var file = _temp.WriteFile("settings.conf", "work_mem = '64MB'\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS_DIR", file)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_SETTINGS_DIR names " + file, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conf.d")]
    [InlineData("/etc/pgstandby/conf d")]
    [InlineData("/etc/pgstandby/$(id)")]
    [InlineData("/etc/pgstandby/'quoted'")]
    public void Configure_SettingsDirectoryBadPath_RefusedOnce(string path)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PG_SETTINGS_DIR", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_SETTINGS_DIR must be an absolute path", problem, StringComparison.Ordinal);
        Assert.Null(options.SettingsDirectory);
    }

    [Theory]
    [InlineData("1073741824", 1L << 30)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("1G", 1L << 30)]
    [InlineData(" 512MiB ", 512L << 20)]
    [InlineData("16MiB", 16L << 20)]
    [InlineData("16777216b", 16L << 20)]
    [InlineData("4PiB", 4L << 50)]
    [InlineData("4096TB", 4L << 50)]
    public void Configure_ArchiveGetQueueMaxSize_BoundAsBytes(string value, long bytes)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("BACKREST_ARCHIVE_GET_QUEUE_MAX", value)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(bytes, options.ArchiveGetQueueMax);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("16777215")]
    [InlineData("15MiB")]
    [InlineData("5PiB")]
    [InlineData("4503599627370497")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775807GiB")]
    [InlineData("1.5GiB")]
    [InlineData("-1GiB")]
    [InlineData("1 GiB")]
    [InlineData("1Gi")]
    [InlineData("GiB")]
    [InlineData("1EiB")]
    [InlineData("0x40000000")]
    [InlineData("1GiB; rm -rf /")]
    [InlineData("1GiB\nprocess-max=64")]
    public void Configure_ArchiveGetQueueMaxMalformedOrOutOfRange_RefusedAndDefaultKept(string value)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("BACKREST_ARCHIVE_GET_QUEUE_MAX", value)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("BACKREST_ARCHIVE_GET_QUEUE_MAX must be a size from 16MiB to 4PiB", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
        Assert.Equal(1L << 30, options.ArchiveGetQueueMax);
    }
}
