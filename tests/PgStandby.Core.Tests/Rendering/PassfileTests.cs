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
}
