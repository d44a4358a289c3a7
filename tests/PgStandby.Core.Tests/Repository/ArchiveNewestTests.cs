using PgStandby.Core.Tests.Restore;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Repository;

public sealed class ArchiveNewestTests
{
    /// <summary>
    /// pgBackRest 2.45 <c>info --output=json</c> of two stanzas, psql upgraded once (stanza-upgrade: database 2),
    /// written after its format; the archive of database 2 listed first to show the order does not matter.
    /// </summary>
    private const string Upgraded = """
        [
          {
            "archive": [
              {"database": {"id": 2, "repo-key": 1}, "id": "15-2", "max": "000000020000000000000009", "min": "000000010000000000000007"},
              {"database": {"id": 1, "repo-key": 1}, "id": "15-1", "max": "00000001000000000000000C", "min": "000000010000000000000001"}
            ],
            "backup": [],
            "cipher": "none",
            "db": [
              {"id": 1, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"},
              {"id": 2, "repo-key": 1, "system-id": 7712786763852387577, "version": "15"}
            ],
            "name": "psql",
            "repo": [{"cipher": "none", "key": 1, "status": {"code": 0, "message": "ok"}}],
            "status": {"code": 0, "lock": {"backup": {"held": false}, "restore": {"held": false}}, "message": "ok"}
          },
          {
            "archive": [
              {"database": {"id": 1, "repo-key": 1}, "id": "15-1", "max": "0000000300000000000000AA", "min": "000000010000000000000001"}
            ],
            "backup": [],
            "cipher": "none",
            "db": [{"id": 1, "repo-key": 1, "system-id": 7712799999999999999, "version": "15"}],
            "name": "reports",
            "repo": [{"cipher": "none", "key": 1, "status": {"code": 0, "message": "ok"}}],
            "status": {"code": 0, "lock": {"backup": {"held": false}, "restore": {"held": false}}, "message": "ok"}
          }
        ]
        """;

    [Fact]
    public void Parse_SeedStanza_NewestSegmentOfItsArchive()
    {
        // Act
        var newest = ArchiveNewest.Parse(PgBackRestInfoSamples.Ok, "psql");

        // Assert
        Assert.Equal("000000010000000000000006", newest);
    }

    [Fact]
    public void Parse_UpgradedStanza_MaxOfTheNewestDatabase()
    {
        // Act
        var newest = ArchiveNewest.Parse(Upgraded, "psql");

        // Assert: not database 1's larger name, which belongs to a system the standby no longer follows
        Assert.Equal("000000020000000000000009", newest);
    }

    [Fact]
    public void Parse_NewestDatabaseArchivedNothingYet_NullNotTheOlderDatabasesMax()
    {
        // Arrange: right after stanza-upgrade pgBackRest lists the current database with min and max null
        // (command/info/info.c archiveDbList: "If there is an archive or the database is the current database then store it").
        const string json = """
            [
              {
                "archive": [
                  {"database": {"id": 1, "repo-key": 1}, "id": "15-1", "max": "00000001000000000000000C", "min": "000000010000000000000001"},
                  {"database": {"id": 2, "repo-key": 1}, "id": "15-2", "max": null, "min": null}
                ],
                "backup": [],
                "cipher": "none",
                "db": [
                  {"id": 1, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"},
                  {"id": 2, "repo-key": 1, "system-id": 7712786763852387577, "version": "15"}
                ],
                "name": "psql",
                "repo": [{"cipher": "none", "key": 1, "status": {"code": 2, "message": "no valid backups"}}],
                "status": {"code": 2, "lock": {"backup": {"held": false}, "restore": {"held": false}}, "message": "no valid backups"}
              }
            ]
            """;

        // Act
        var newest = ArchiveNewest.Parse(json, "psql");

        // Assert: database 1's segment belongs to a system the standby no longer follows
        Assert.Null(newest);
    }

    [Fact]
    public void Parse_OtherStanzaNamed_ThatStanzasArchive()
    {
        // Act
        var newest = ArchiveNewest.Parse(Upgraded, "reports");

        // Assert
        Assert.Equal("0000000300000000000000AA", newest);
    }

    [Fact]
    public void Parse_StanzaNotListed_Null()
    {
        // Act
        var newest = ArchiveNewest.Parse(Upgraded, "billing");

        // Assert
        Assert.Null(newest);
    }

    [Theory]
    [InlineData("""[{"name": "psql", "archive": [], "backup": [], "db": []}]""")]
    [InlineData("""[{"name": "psql", "backup": [], "db": []}]""")]
    [InlineData("""[{"name": "psql", "archive": null}]""")]
    [InlineData("""[{"name": "psql", "archive": [{"database": {"id": 1, "repo-key": 1}, "id": "15-1", "max": null, "min": null}]}]""")]
    public void Parse_NoArchivedSegment_Null(string json)
    {
        // Act
        var newest = ArchiveNewest.Parse(json, "psql");

        // Assert
        Assert.Null(newest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"name\": \"psql\"}")]
    [InlineData("[{\"name\": \"psql\", \"archive\": [{\"id\": \"15-1\", \"max\": \"000000010000000000000006\"}]}]")]
    [InlineData("[{\"name\": \"psql\", \"archive\": [{\"database\": {\"id\": \"one\"}, \"max\": \"000000010000000000000006\"}]}]")]
    [InlineData("[{\"name\": \"psql\", \"archive\": [{\"database\": {\"id\": 1}, \"max\": \"0000000100")]
    public void Parse_BadJson_Null(string json)
    {
        // Act
        var newest = ArchiveNewest.Parse(json, "psql");

        // Assert
        Assert.Null(newest);
    }
}
