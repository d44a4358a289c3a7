using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class ConnInfoTests
{
    [Theory]
    [InlineData("primary", "primary")]
    [InlineData("postgres_master", "postgres_master")]
    [InlineData("/run/pgstandby/pgpass", "/run/pgstandby/pgpass")]
    [InlineData("2001:db8::5", "2001:db8::5")]
    [InlineData("", "''")]
    [InlineData("with space", "'with space'")]
    [InlineData("it's", "'it\\'s'")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("a=b", "'a=b'")]
    [InlineData("\\'", "'\\\\\\''")]
    public void Quote_Value_QuotesAsLibpqReadsIt(string value, string expected)
    {
        // Act
        var quoted = ConnInfo.Quote(value);

        // Assert
        Assert.Equal(expected, quoted);
    }

    [Fact]
    public void Build_Pairs_JoinsKeywordsWithSpaces()
    {
        // Arrange
        KeyValuePair<string, string>[] pairs = [new("host", "primary"), new("port", "5432"), new("application_name", "eu 'b'")];

        // Act
        var text = ConnInfo.Build(pairs);

        // Assert
        Assert.Equal("host=primary port=5432 application_name='eu \\'b\\''", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("with space")]
    [InlineData("it's")]
    [InlineData("\\'")]
    [InlineData("back\\slash\\")]
    [InlineData("a=b c=d")]
    [InlineData("host=evil")]
    [InlineData("'")]
    [InlineData("$(id);`id`|&")]
    [InlineData("tab\there")]
    [InlineData("über")]
    public void Build_HostileValue_LibpqReadsItBack(string value)
    {
        // Arrange
        KeyValuePair<string, string>[] pairs = [new("host", "primary"), new("application_name", value), new("sslmode", "prefer")];

        // Act
        var text = ConnInfo.Build(pairs);

        // Assert
        Assert.Equal(pairs, ConnInfoReader.Read(text));
    }

    [Fact]
    public void Build_VeryLongValue_LibpqReadsItBack()
    {
        // Arrange
        KeyValuePair<string, string>[] pairs = [new("application_name", string.Concat(Enumerable.Repeat("a' \\b", 1000)))];

        // Act
        var text = ConnInfo.Build(pairs);

        // Assert
        Assert.Equal(pairs, ConnInfoReader.Read(text));
    }
}
