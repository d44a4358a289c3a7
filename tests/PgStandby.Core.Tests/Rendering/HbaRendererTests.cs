using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class HbaRendererTests
{
    private const string PeerMapLine = "local   all   postgres   peer   map=pgstandby";

    [Fact]
    public void RenderHba_NoBackupHba_PeerMapLineFirstThenDefaultPasswordLines()
    {
        // Act
        var rules = Rules(HbaRenderer.RenderHba(null));

        // Assert
        Assert.Equal(PeerMapLine, rules[0]);
        Assert.Contains("local   all   all                peer", rules);
        Assert.Contains("host    all   all   0.0.0.0/0      md5", rules);
        Assert.Contains("host    all   all   ::/0           md5", rules);
        Assert.Contains("host    all   all   127.0.0.1/32   md5", rules);
    }

    [Fact]
    public void RenderHba_BackupHba_PeerMapLineFirstThenBackupLinesInOrder()
    {
        // Arrange
        var backup = "# backup's own rules\nlocal all all trust\nhost replication replicator 10.0.0.0/8 scram-sha-256\nhost all all 10.0.0.0/8 scram-sha-256\n\n";

        // Act
        var rules = Rules(HbaRenderer.RenderHba(backup));

        // Assert
        Assert.Equal(
            [PeerMapLine, "local all all trust", "host replication replicator 10.0.0.0/8 scram-sha-256", "host all all 10.0.0.0/8 scram-sha-256"],
            rules);
    }

    [Fact]
    public void RenderHba_AnyInput_EndsWithOneNewline()
    {
        // Act
        var text = HbaRenderer.RenderHba("local all all trust\n\n\n");

        // Assert
        Assert.EndsWith("trust\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderIdent_NoBackupIdent_MapsRootAndPostgresToPostgres()
    {
        // Act
        var rules = Rules(HbaRenderer.RenderIdent(null));

        // Assert
        Assert.Equal(["pgstandby   root       postgres", "pgstandby   postgres   postgres"], rules);
    }

    [Fact]
    public void RenderIdent_BackupIdent_KeepsItsLinesAfterTheMap()
    {
        // Act
        var rules = Rules(HbaRenderer.RenderIdent("appmap alice app_user\n"));

        // Assert
        Assert.Equal("appmap alice app_user", rules[^1]);
        Assert.Equal(3, rules.Count);
    }

    private static List<string> Rules(string text) =>
        [.. text.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))];

    [Fact]
    public void RenderHba_OperatorRules_PeerMapLineFirstThenOnlyTheOperatorsRules()
    {
        // Arrange
        var backup = "host all all 0.0.0.0/0 trust\n";
        string[] operatorRules = ["host all all 10.0.0.0/8 md5", "hostssl all app 192.168.1.0/24 scram-sha-256"];

        // Act
        var rules = Rules(HbaRenderer.RenderHba(backup, operatorRules));

        // Assert
        Assert.Equal([PeerMapLine, .. operatorRules], rules);
    }
}
