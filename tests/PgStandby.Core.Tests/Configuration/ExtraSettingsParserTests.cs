using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tests.Configuration;

public sealed class ExtraSettingsParserTests
{
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
