using PgStandby.Core.Restore;

namespace PgStandby.Core.Tests.Restore;

/// <summary>Lines printed by pgBackRest 2.45 (restore --log-level-console=detail --process-max=2) in the integration world.</summary>
public sealed class RestoreFileLineTests
{
    public const string Large = "2026-11-27 10:39:02.661 P02 DETAIL: restore file /tmp/pgstandby-it-2e0afc6a/progress/data/base/5/16405 (17.2MB, 12.10%) checksum 79db6acc28a12f61a13a443379880d1ca7f2a8a6";
    public const string Medium = "2026-11-27 10:39:02.750 P02 DETAIL: restore file /tmp/pgstandby-it-2e0afc6a/progress/data/base/5/1255 (768KB, 12.63%) checksum adb7a4a7a6886be09982ada40de8e58a48dcb64a";
    public const string Small = "2026-11-27 10:39:03.664 P01 DETAIL: restore file /tmp/pgstandby-it-2e0afc6a/progress/data/global/2396_fsm (24KB, 93.91%) checksum 0c85954b264607567df0f1cb8d72bdb0d27d5494";
    public const string Empty = "2026-11-27 10:39:05.170 P01 DETAIL: restore file /tmp/pgstandby-it-2e0afc6a/progress/data/base/1/13409 (0B, 100.00%)";

    [Theory]
    [InlineData(Large, "/tmp/pgstandby-it-2e0afc6a/progress/data/base/5/16405", 18035507L, 12.10)]
    [InlineData(Medium, "/tmp/pgstandby-it-2e0afc6a/progress/data/base/5/1255", 786432L, 12.63)]
    [InlineData(Small, "/tmp/pgstandby-it-2e0afc6a/progress/data/global/2396_fsm", 24576L, 93.91)]
    [InlineData(Empty, "/tmp/pgstandby-it-2e0afc6a/progress/data/base/1/13409", 0L, 100.0)]
    public void Parse_RealPgBackRestLine_PathSizeAndPercent(string line, string path, long bytes, double percent)
    {
        // Act
        var parsed = RestoreFileLine.Parse(line);

        // Assert
        Assert.NotNull(parsed);
        Assert.Equal(path, parsed.Path);
        Assert.Equal(bytes, parsed.Bytes);
        Assert.Equal(percent, parsed.Percent, 2);
    }

    [Fact]
    public void Parse_DeltaLineOfAFileAlreadyThere_Counted()
    {
        // Arrange: the --delta form of the same line (pgBackRest's "exists and matches backup")
        var line = "2026-11-27 10:41:00.100 P01 DETAIL: restore file /var/lib/postgresql/data/base/5/1255 - exists and matches backup (768KB, 40.00%) checksum adb7a4a7a6886be09982ada40de8e58a48dcb64a";

        // Act
        var parsed = RestoreFileLine.Parse(line);

        // Assert
        Assert.Equal(new RestoreFileLine("/var/lib/postgresql/data/base/5/1255", 786432, 40.0), parsed);
    }

    [Theory]
    [InlineData("2026-11-27 10:39:00.516 P00 DETAIL: create path '/tmp/pgstandby-it-2e0afc6a/progress/data/base'")]
    [InlineData("2026-11-27 10:37:51.160 P00   INFO: restore size = 141.8MB, file total = 979")]
    [InlineData("2026-11-27 10:37:51.156 P00   INFO: restore global/pg_control (performed last to ensure aborted restores cannot be started)")]
    [InlineData("")]
    public void Parse_OtherLine_Null(string line)
    {
        // Act
        var parsed = RestoreFileLine.Parse(line);

        // Assert
        Assert.Null(parsed);
    }

    [Theory]
    [InlineData("2026-11-27 10:39:00.516 P00 DETAIL: create path '/data/base'", true)]
    [InlineData("2026-11-27 10:37:51.160 P00   INFO: restore size = 141.8MB, file total = 979", false)]
    public void IsDetail_Line_OnlyDetailLevel(string line, bool expected)
    {
        // Act
        var detail = RestoreFileLine.IsDetail(line);

        // Assert
        Assert.Equal(expected, detail);
    }
}
