using PgStandby.Core.Postgres;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>max_connections and friends kept at least as high as the primary's (pg_control).</summary>
public sealed partial class PostgresSettingsRendererTests
{
    private static readonly ControlData Fresh = ControlData.Parse(ControlDataTests.Sample)!;

    [Fact]
    public void HotStandbySettings_NoControlData_NothingRendered()
    {
        // Act
        var settings = PostgresSettingsRenderer.HotStandbySettings(null);

        // Assert
        Assert.Empty(settings);
    }

    [Fact]
    public void HotStandbySettings_PrimaryRaisedThem_PrimaryValues()
    {
        // Act
        var settings = PostgresSettingsRenderer.HotStandbySettings(Raised);

        // Assert
        Assert.Equal(
            [
                new("max_connections", "250"), new("max_worker_processes", "16"), new("max_wal_senders", "12"),
                new("max_prepared_transactions", "20"), new("max_locks_per_transaction", "128"),
            ],
            settings);
    }

    [Fact]
    public void HotStandbySettings_PrimaryBelowDefaults_PostgresDefaults()
    {
        // Arrange
        var control = Fresh with { MaxConnections = 20, MaxWorkerProcesses = 2, MaxWalSenders = 0, MaxPreparedTransactions = 0, MaxLocksPerTransaction = 10 };

        // Act
        var settings = PostgresSettingsRenderer.HotStandbySettings(control);

        // Assert
        Assert.Equal(
            [
                new("max_connections", "100"), new("max_worker_processes", "8"), new("max_wal_senders", "10"),
                new("max_prepared_transactions", "0"), new("max_locks_per_transaction", "64"),
            ],
            settings);
    }

    [Fact]
    public void HotStandbySettings_FieldMissingFromControlData_LeftOut()
    {
        // Arrange
        var control = Raised with { MaxWalSenders = null };

        // Act
        var names = PostgresSettingsRenderer.HotStandbySettings(control).Select(s => s.Key);

        // Assert
        Assert.Equal(["max_connections", "max_worker_processes", "max_prepared_transactions", "max_locks_per_transaction"], names);
    }

    [Theory]
    [InlineData("500", "500")]
    [InlineData("250", "250")]
    [InlineData("249", "250")]
    [InlineData("50", "250")]
    public void HotStandbySettings_OperatorValue_WinsOnlyWhenAtLeastThePrimarys(string asked, string expected)
    {
        // Act
        var settings = PostgresSettingsRenderer.HotStandbySettings(Raised, [new("max_connections", asked)]);

        // Assert
        Assert.Equal(expected, settings.Single(s => s.Key == "max_connections").Value);
    }

    [Fact]
    public void HotStandbySettings_OperatorBelowDefaultButAbovePrimary_OperatorWins()
    {
        // Arrange
        var control = Fresh with { MaxConnections = 20 };

        // Act
        var settings = PostgresSettingsRenderer.HotStandbySettings(control, [new("max_connections", "30")]);

        // Assert
        Assert.Equal("30", settings.Single(s => s.Key == "max_connections").Value);
    }

    [Fact]
    public void Render_PgSettingsBelowPrimary_PrimaryValueReadLastWithAComment()
    {
        // Arrange
        var standby = WithExtras([new("max_connections", "50"), new("max_wal_senders", "40")], null);

        // Act
        var text = PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby), Raised);

        // Assert
        var effective = PostgresqlConfReader.Effective(text);
        Assert.Equal("250", effective["max_connections"]);
        Assert.Equal("40", effective["max_wal_senders"]);
        Assert.Contains("# PG_SETTINGS asks max_connections = 50, below the primary's 250 (pg_control): 250 is kept.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("asks max_wal_senders", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PgSettingsLimitWithoutControlData_OperatorValueStands()
    {
        // Arrange
        var standby = WithExtras([new("max_connections", "50")], null);

        // Act
        var effective = PostgresqlConfReader.Effective(PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby)));

        // Assert
        Assert.Equal("50", effective["max_connections"]);
    }

    [Fact]
    public void Render_ControlData_LimitsReadAfterWorkerSettings()
    {
        // Act
        var settings = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, Standby, new RunFiles(Standby), Raised));

        // Assert
        var effective = settings.ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal("250", effective["max_connections"]);
        Assert.Equal("128", effective["max_locks_per_transaction"]);
        Assert.True(settings.FindIndex(s => s.Key == "max_connections") > settings.FindIndex(s => s.Key == "recovery_target_timeline"));
    }

    [Fact]
    public void HotStandbyMinimums_ControlData_ThePrimarysValues()
    {
        // Arrange
        var control = Fresh with { MaxConnections = 20 };

        // Act
        var minimums = PostgresSettingsRenderer.HotStandbyMinimums(control);

        // Assert
        Assert.Equal(20, minimums["max_connections"]);
        Assert.Equal(64, minimums["max_locks_per_transaction"]);
        Assert.Empty(PostgresSettingsRenderer.HotStandbyMinimums(null));
    }

    [Fact]
    public void HotStandbyLimit_Defaults_WithinTheirRanges()
    {
        // Assert
        Assert.All(HotStandbyLimit.All, l => Assert.InRange(l.Default, l.Min, l.Max));
        Assert.Equal(5, HotStandbyLimit.All.Select(l => l.Name).Distinct().Count());
        Assert.All(HotStandbyLimit.All, l => Assert.Null(PostgresSettingsRenderer.ManagedBy(l.Name)));
    }

    [Fact]
    public void ManagedBy_EveryManagedSetting_SaysWhoSetsIt()
    {
        // Assert
        Assert.All(PostgresSettingsRenderer.ManagedSettings, name => Assert.False(string.IsNullOrWhiteSpace(PostgresSettingsRenderer.ManagedBy(name)), name));
        Assert.Null(PostgresSettingsRenderer.ManagedBy("work_mem"));
        Assert.Null(PostgresSettingsRenderer.ManagedBy("hot_standby_feedback"));
    }
}
