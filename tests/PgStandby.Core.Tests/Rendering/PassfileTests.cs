using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class PassfileTests
{
    [Fact]
    public void Render_PlainValues_WritesOneReplicationLine()
    {
        // Act
        var text = Passfile.Render("postgres_master", 5432, "replicator", "replication");

        // Assert
        Assert.Equal("postgres_master:5432:replication:replicator:replication\n", text);
    }

    [Fact]
    public void Render_ColonsAndBackslashes_EscapesThemForLibpq()
    {
        // Act
        var text = Passfile.Render("2001:db8::5", 6543, "re\\pl", "pa:ss\\word");

        // Assert
        Assert.Equal("2001\\:db8\\:\\:5:6543:replication:re\\\\pl:pa\\:ss\\\\word\n", text);
    }

    [Fact]
    public void Render_PasswordWithSpacesAndQuotes_KeepsThemAsIs()
    {
        // Act
        var text = Passfile.Render("primary", 5432, "replicator", "with 'quotes' and \"spaces\"");

        // Assert
        Assert.EndsWith(":with 'quotes' and \"spaces\"\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("with spaces, 'single' and \"double\" quotes")]
    [InlineData("back\\slash\\")]
    [InlineData("co:lo:ns::")]
    [InlineData("\\:")]
    [InlineData(":leading colon")]
    [InlineData("*")]
    [InlineData("#hash")]
    [InlineData(" spaces around ")]
    [InlineData("$(id);`id`|&>x")]
    [InlineData("pässwörd €")]
    [InlineData("")]
    public void Render_HostilePassword_LibpqReadsItBack(string password)
    {
        // Act
        var text = Passfile.Render("primary.example", 5432, "replicator", password);

        // Assert
        Assert.Equal(password, PassfileReader.Lookup(text, "primary.example", "5432", "replication", "replicator"));
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Render_PasswordWithSpacesQuotesBackslashesAndColons_LibpqReadsItBack()
    {
        // Arrange
        const string password = "a b 'c' \"d\" e\\f:g\\:h";

        // Act
        var text = Passfile.Render("2001:db8::5", 6543, "re\\pl", password);

        // Assert
        Assert.Equal(password, PassfileReader.Lookup(text, "2001:db8::5", "6543", "replication", "re\\pl"));
        Assert.Null(PassfileReader.Lookup(text, "2001:db8::6", "6543", "replication", "re\\pl"));
    }

    [Fact]
    public void Render_VeryLongPassword_LibpqReadsItBack()
    {
        // Arrange
        var password = string.Concat(Enumerable.Repeat("a:b\\c ", 146));

        // Act
        var text = Passfile.Render("primary", 5432, "replicator", password);

        // Assert
        Assert.Equal(password, PassfileReader.Lookup(text, "primary", "5432", "replication", "replicator"));
    }
}
