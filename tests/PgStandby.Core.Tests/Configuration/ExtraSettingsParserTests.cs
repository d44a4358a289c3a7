using PgStandby.Core.Configuration;
using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Configuration;

public sealed class ExtraSettingsParserTests
{
    public static TheoryData<string> EveryManagedName => [.. PostgresSettingsRenderer.ManagedSettings];

    [Fact]
    public void Parse_Unset_NoSettings()
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse(null, problems);

        // Assert
        Assert.Empty(settings);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("hot_standby_feedback=on;work_mem=64MB")]
    [InlineData("hot_standby_feedback=on\nwork_mem=64MB")]
    [InlineData("hot_standby_feedback=on\r\nwork_mem=64MB\r\n")]
    [InlineData("  hot_standby_feedback = on ;\n\n; work_mem=\t64MB ;")]
    public void Parse_SemicolonsOrLineBreaks_SplitsIntoTrimmedSettings(string raw)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse(raw, problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal([new("hot_standby_feedback", "on"), new("work_mem", "64MB")], settings);
    }

    [Theory]
    [InlineData("search_path=\"$user\", public", "search_path", "\"$user\", public")]
    [InlineData("cluster_name=%m [%p] %q%u@%d ", "cluster_name", "%m [%p] %q%u@%d")]
    [InlineData("application_name=it's", "application_name", "it's")]
    [InlineData("cluster_name=back\\slash", "cluster_name", "back\\slash")]
    [InlineData("shared_preload_libraries=", "shared_preload_libraries", "")]
    [InlineData("pg_stat_statements.max=10000", "pg_stat_statements.max", "10000")]
    [InlineData("statement_timeout=a=b", "statement_timeout", "a=b")]
    [InlineData("work_mem=$(id)`id`|&", "work_mem", "$(id)`id`|&")]
    [InlineData("cluster_name=über", "cluster_name", "über")]
    [InlineData("max_connections=300", "max_connections", "300")]
    public void Parse_AnyValueWithoutControlCharacters_KeptExactly(string raw, string name, string value)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse(raw, problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal([new(name, value)], settings);
    }

    [Theory]
    [MemberData(nameof(EveryManagedName))]
    public void Parse_ManagedName_RefusedSayingWhoManagesIt(string name)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse($"work_mem=64MB;{name}=x", problems);

        // Assert
        var problem = Assert.Single(problems);
        Assert.StartsWith($"PG_SETTINGS must not set {name}: the worker manages it (", problem, StringComparison.Ordinal);
        Assert.Equal([new("work_mem", "64MB")], settings);
    }

    [Theory]
    [InlineData("port", "PG_PORT")]
    [InlineData("unix_socket_directories", "PG_SOCKET_DIR")]
    [InlineData("primary_conninfo", "PG_PRIMARY_HOST")]
    [InlineData("restore_command", "BACKREST_STANZA")]
    [InlineData("data_directory", "PGDATA")]
    [InlineData("include_dir", "PG_SETTINGS_DIR")]
    public void Parse_ManagedNameSetByVariable_NamesThatVariable(string name, string variable)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        ExtraSettingsParser.Parse($"{name}=x", problems);

        // Assert
        Assert.Contains(variable, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("include=/etc/passwd")]
    [InlineData("include_if_exists=/etc/passwd")]
    [InlineData("config_file=/tmp/x")]
    public void Parse_FileDirective_Refused(string raw)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse(raw, problems);

        // Assert
        Assert.StartsWith("PG_SETTINGS must not set ", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Empty(settings);
    }

    [Theory]
    [InlineData("work_mem")]
    [InlineData("=64MB")]
    [InlineData("Work_Mem=64MB")]
    [InlineData("PORT=5433")]
    [InlineData("work mem=64MB")]
    [InlineData("1work_mem=64MB")]
    [InlineData("work-mem=64MB")]
    [InlineData("a..b=1")]
    [InlineData("a.b.c=1")]
    [InlineData(".a=1")]
    [InlineData("a.=1")]
    [InlineData("wörk_mem=64MB")]
    [InlineData("'work_mem'=64MB")]
    [InlineData("$(id)=1")]
    [InlineData("rm -rf /")]
    public void Parse_BadEntry_RefusedNamingVariable(string raw)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var settings = ExtraSettingsParser.Parse(raw, problems);

        // Assert
        var problem = Assert.Single(problems);
        Assert.StartsWith("PG_SETTINGS entry ", problem, StringComparison.Ordinal);
        Assert.Empty(settings);
    }

    [Theory]
    [InlineData("work_mem='64MB'")]
    [InlineData("search_path=''")]
    public void Parse_QuotedValue_RefusedAskingForTheBareValue(string raw)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        ExtraSettingsParser.Parse(raw, problems);

        // Assert
        Assert.StartsWith("PG_SETTINGS value of ", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster_name=a\tb")]
    [InlineData("cluster_name=a\rb")]
    [InlineData("cluster_name=a\u001b[31mb")]
    [InlineData("cluster_name=a\u0085b")]
    public void Parse_ControlCharacterInValue_RefusedOnOneLine(string raw)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        ExtraSettingsParser.Parse(raw, problems);

        // Assert
        var problem = Assert.Single(problems);
        Assert.StartsWith("PG_SETTINGS value of cluster_name must not hold control characters", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
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
    public void Parse_HotStandbyLimitNotAWholeNumberInRange_Refused(string raw, string range)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        ExtraSettingsParser.Parse(raw, problems);

        // Assert
        var problem = Assert.Single(problems);
        Assert.StartsWith("PG_SETTINGS value of max_", problem, StringComparison.Ordinal);
        Assert.Contains("must be a whole number " + range, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyBadEntries_ListsFiveAndCountsTheRest()
    {
        // Arrange
        var problems = new List<string>();
        var raw = string.Join(';', Enumerable.Range(0, 5000).Select(i => "bad" + i));

        // Act
        ExtraSettingsParser.Parse(raw, problems);

        // Assert
        Assert.Equal(6, problems.Count);
        Assert.Equal("PG_SETTINGS has 4995 more bad entries.", problems[^1]);
    }

    [Fact]
    public void Parse_VeryLongValue_KeptExactly()
    {
        // Arrange
        var problems = new List<string>();
        var value = new string('v', 5000);

        // Act
        var settings = ExtraSettingsParser.Parse("cluster_name=" + value, problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal(value, Assert.Single(settings).Value);
    }

    [Fact]
    public void Parse_VeryLongBadEntry_ProblemIsShort()
    {
        // Arrange
        var problems = new List<string>();

        // Act
        ExtraSettingsParser.Parse(new string('x', 5000), problems);

        // Assert
        Assert.True(Assert.Single(problems).Length < 300);
    }
}
