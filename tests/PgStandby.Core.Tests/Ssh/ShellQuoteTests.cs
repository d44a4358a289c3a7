using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tests.Ssh;

public sealed class ShellQuoteTests
{
    [Theory]
    [InlineData("pgbackrest", "pgbackrest")]
    [InlineData("--stanza=psql", "--stanza=psql")]
    [InlineData("--config=/etc/pgbackrest/pgbackrest.conf", "--config=/etc/pgbackrest/pgbackrest.conf")]
    [InlineData("user@host:22,a+b", "user@host:22,a+b")]
    [InlineData("", "''")]
    [InlineData("with space", "'with space'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("'", "''\\'''")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("`id`", "'`id`'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData(";rm -rf /", "';rm -rf /'")]
    [InlineData("a&&b|c>d<e", "'a&&b|c>d<e'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("double\"quote", "'double\"quote'")]
    [InlineData("new\nline", "'new\nline'")]
    [InlineData("*?[a]", "'*?[a]'")]
    [InlineData("~", "'~'")]
    [InlineData("#comment", "'#comment'")]
    [InlineData("über", "'über'")]
    public void Quote_Argument_QuotesForPosixShell(string argument, string expected)
    {
        // Act
        var quoted = ShellQuote.Quote(argument);

        // Assert
        Assert.Equal(expected, quoted);
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("''")]
    [InlineData("a'b'c")]
    [InlineData("$(id)`id`\\\"")]
    [InlineData("new\nline; rm -rf / &")]
    [InlineData("")]
    [InlineData("--config=/etc/pgbackrest/pgbackrest.conf")]
    public void Quote_AnyArgument_ReadsBackAsOneWordUnchanged(string argument)
    {
        // Act
        var word = ReadWord(ShellQuote.Quote(argument));

        // Assert
        Assert.Equal(argument, word);
    }

    [Fact]
    public void Join_ProgramAndArguments_QuotesEachOnItsOwn()
    {
        // Act
        var line = ShellQuote.Join(["pgbackrest", "--stanza=psql", "--output=json", "info", "a b", "it's"]);

        // Assert
        Assert.Equal("pgbackrest --stanza=psql --output=json info 'a b' 'it'\\''s'", line);
    }

    /// <summary>
    /// Reads one word as a POSIX shell does, for the only forms ShellQuote writes: '…' runs, \x escapes and
    /// bare characters, which must be ones the shell takes literally (no expansion, no word split).
    /// </summary>
    private static string ReadWord(string text)
    {
        var word = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    Assert.True(close > i, "unterminated single quote");
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '\\':
                    Assert.True(i + 1 < text.Length, "trailing backslash");
                    word.Append(text[++i]);
                    break;
                default:
                    Assert.True(char.IsAsciiLetterOrDigit(text[i]) || "-_./=:,@+".Contains(text[i], StringComparison.Ordinal), $"bare '{text[i]}' is not literal in sh");
                    word.Append(text[i]);
                    break;
            }
        }

        return word.ToString();
    }
}
