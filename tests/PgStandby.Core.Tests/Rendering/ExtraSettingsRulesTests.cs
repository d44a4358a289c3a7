using PgStandby.Core.Configuration;
using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>PG_SETTINGS entries the parser accepts as syntax, refused for what the renderer writes.</summary>
public sealed class ExtraSettingsRulesTests
{
    public static TheoryData<string> EveryManagedName => [.. PostgresSettingsRenderer.ManagedSettings];

    [Theory]
    [MemberData(nameof(EveryManagedName))]
    public void Validate_ManagedName_RefusedSayingWhoManagesIt(string name)
    {
        // Act
        var failures = Failures($"work_mem=64MB;{name}=x");

        // Assert
        var problem = Assert.Single(failures);
        Assert.StartsWith($"PG_SETTINGS must not set {name}: the worker manages it (", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port", "PG_PORT")]
    [InlineData("unix_socket_directories", "PG_SOCKET_DIR")]
    [InlineData("primary_conninfo", "PG_PRIMARY_HOST")]
    [InlineData("restore_command", "BACKREST_STANZA")]
    [InlineData("data_directory", "PGDATA")]
    [InlineData("include_dir", "PG_SETTINGS_DIR")]
    public void Validate_ManagedNameSetByVariable_NamesThatVariable(string name, string variable)
    {
        // Act
        var failures = Failures($"{name}=x");

        // Assert
        Assert.Contains(variable, Assert.Single(failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("include=/etc/passwd")]
    [InlineData("include_if_exists=/etc/passwd")]
    [InlineData("config_file=/tmp/x")]
    public void Validate_FileDirective_Refused(string raw)
    {
        // Act
        var failures = Failures(raw);

        // Assert
        Assert.StartsWith("PG_SETTINGS must not set ", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_connections=0", "from 1 to 262143")]
    [InlineData("max_connections=262144", "from 1 to 262143")]
    [InlineData("max_connections=lots", "from 1 to 262143")]
    [InlineData("max_connections=-1", "from 1 to 262143")]
    [InlineData("max_connections=1e3", "from 1 to 262143")]
    [InlineData("max_locks_per_transaction=9", "from 10 to 2147483647")]
    [InlineData("max_locks_per_transaction=2147483648", "from 10 to 2147483647")]
    [InlineData("max_wal_senders=ten", "from 0 to 262143")]
    [InlineData("max_prepared_transactions=1.5", "from 0 to 262143")]
    [InlineData("max_worker_processes=", "from 0 to 262143")]
    public void Validate_HotStandbyLimitNotAWholeNumberInRange_Refused(string raw, string range)
    {
        // Act
        var failures = Failures(raw);

        // Assert
        var problem = Assert.Single(failures);
        Assert.StartsWith("PG_SETTINGS value of max_", problem, StringComparison.Ordinal);
        Assert.Contains("must be a whole number " + range, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("work_mem=64MB;hot_standby_feedback=on")]
    [InlineData("max_connections=300;max_locks_per_transaction=10")]
    public void Validate_SettingsThePrimaryMaySet_Succeeds(string raw)
    {
        // Act
        var failures = Failures(raw);

        // Assert
        Assert.Empty(failures);
    }

    private static List<string> Failures(string raw)
    {
        var parseProblems = new List<string>();
        var options = new StandbyOptions { ExtraSettings = ExtraSettingsParser.Parse(raw, parseProblems) };
        Assert.Empty(parseProblems);
        var result = new ExtraSettingsRules().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }
}
