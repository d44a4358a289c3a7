using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tests.Configuration;

public sealed class HbaRulesParserTests
{
    [Fact]
    public void Parse_Unset_ReturnsNullSoTheDefaultsStand()
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var rules = HbaRulesParser.Parse(null, problems);

        // Assert
        Assert.Null(rules);
        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_RulesBySemicolonAndLineBreak_KeptInOrderTrimmed()
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var rules = HbaRulesParser.Parse(" host all all 10.0.0.0/8 md5 ;\nlocal\tall\tall\tpeer\n\nhostssl all all 192.168.1.0 255.255.255.0 scram-sha-256", problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal(["host all all 10.0.0.0/8 md5", "local\tall\tall\tpeer", "hostssl all all 192.168.1.0 255.255.255.0 scram-sha-256"], rules);
    }

    [Theory]
    [InlineData(" ; ", "holds no rule")]
    [InlineData("trust all all", "rule 1 must start with local, host")]
    [InlineData("host all all 10.0.0.0/8 md5;host all all md5", "rule 2 has 4 fields; a host rule needs 5")]
    [InlineData("local all md5", "rule 1 has 3 fields; a local rule needs 4")]
    [InlineData("host all all\r0.0.0.0/0 md5", "rule 1 holds a control character")]
    [InlineData("# only a comment", "rule 1 is a comment")]
    public void Parse_BadRules_RefusedNamingTheVariableAndTheRule(string raw, string expected)
    {
        // Arrange
        var problems = new List<string>();

        // Act
        var rules = HbaRulesParser.Parse(raw, problems);

        // Assert
        Assert.Null(rules);
        var problem = Assert.Single(problems);
        Assert.StartsWith("PG_HBA", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
