using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class ConfQuoteTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("*", "'*'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("''", "''''''")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("\\'", "'\\\\'''")]
    [InlineData("with space", "'with space'")]
    [InlineData("pgbackrest archive-get %f \"%p\"", "'pgbackrest archive-get %f \"%p\"'")]
    public void Literal_TrickyValue_QuotesAsPostgresqlConfReadsIt(string value, string expected)
    {
        // Act
        var quoted = ConfQuote.Literal(value);

        // Assert
        Assert.Equal(expected, quoted);
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("a\\b'c''d\\\\")]
    [InlineData("host=primary application_name='eu \\'b\\''")]
    public void Literal_AnyValue_DecodesBackToItself(string value)
    {
        // Act
        var decoded = Decode(ConfQuote.Literal(value));

        // Assert
        Assert.Equal(value, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("\\n")]
    [InlineData("\\'; include_dir = '/etc")]
    [InlineData("# not a comment")]
    [InlineData("$(id) `id` ; | &")]
    [InlineData("tab\tinside")]
    [InlineData("new\nline = 'x'\ninclude_dir = '/etc'")]
    [InlineData("carriage\rreturn\r\n")]
    [InlineData("über €")]
    public void Literal_HostileValue_PostgresReadsItBack(string value)
    {
        // Act
        var settings = PostgresqlConfReader.Read("cluster_name = " + ConfQuote.Literal(value));

        // Assert
        Assert.Equal(new KeyValuePair<string, string>("cluster_name", value), Assert.Single(settings));
    }

    /// <summary>How postgresql.conf's parser (GUC_scanstr) reads a quoted value: '' is ', \x is x.</summary>
    internal static string Decode(string literal)
    {
        Assert.StartsWith("'", literal, StringComparison.Ordinal);
        Assert.EndsWith("'", literal, StringComparison.Ordinal);
        var inner = literal[1..^1];
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' || (inner[i] == '\'' && i + 1 < inner.Length && inner[i + 1] == '\''))
            {
                i++;
            }
            else
            {
                Assert.NotEqual('\'', inner[i]);
            }

            text.Append(inner[i]);
        }

        return text.ToString();
    }
}
