using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class PromotionRecordTests : IDisposable
{
    private static readonly PromotionRecord Sample = new(
        7712776465398710540,
        2,
        1,
        new DateTimeOffset(2026, 3, 1, 12, 30, 15, TimeSpan.Zero),
        "postgres_master:5432",
        PromotionRecord.ByCommand,
        "0/5000060");

    private readonly TempDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void ToJson_Record_SnakeCaseNames()
    {
        // Act
        var json = Sample.ToJson();

        // Assert
        Assert.Contains("\"system_id\": 7712776465398710540", json, StringComparison.Ordinal);
        Assert.Contains("\"timeline\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"previous_timeline\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"promoted_at\": \"2026-03-01T12:30:15+00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"promoted_from\": \"postgres_master:5432\"", json, StringComparison.Ordinal);
        Assert.Contains("\"promoted_by\": \"pgstandby promote\"", json, StringComparison.Ordinal);
        Assert.Contains("\"replayed_lsn\": \"0/5000060\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrittenRecord_Equal()
    {
        // Arrange
        _state.WriteFile(PromotionRecord.FileName, Sample.ToJson());

        // Act
        var loaded = PromotionRecord.Load(_state.Path);

        // Assert
        Assert.Equal(Sample, loaded);
    }

    [Fact]
    public void Load_RecordWithoutPreviousTimelineOrLsn_Equal()
    {
        // Arrange: recorded from pg_control (no replay position) without a history file
        var record = Sample with { PreviousTimeline = null, ReplayedLsn = null, PromotedBy = PromotionRecord.ByHand };
        _state.WriteFile(PromotionRecord.FileName, record.ToJson());

        // Act
        var loaded = PromotionRecord.Load(_state.Path);

        // Assert
        Assert.Equal(record, loaded);
    }

    [Fact]
    public void Load_NoFile_Null()
    {
        // Act
        var loaded = PromotionRecord.Load(_state.Path);

        // Assert
        Assert.Null(loaded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("promoted yesterday")]
    [InlineData("{\"system_id\": \"not a number\"}")]
    [InlineData("{\"system_id\": 7712776465398710540, \"timeline\": 2")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    public void Load_Garbage_Null(string content)
    {
        // Arrange
        _state.WriteFile(PromotionRecord.FileName, content);

        // Act
        var loaded = PromotionRecord.Load(_state.Path);

        // Assert
        Assert.Null(loaded);
    }

    [Fact]
    public void Delete_WrittenRecord_LoadsNull()
    {
        // Arrange
        _state.WriteFile(PromotionRecord.FileName, Sample.ToJson());

        // Act
        PromotionRecord.Delete(_state.Path);

        // Assert
        Assert.Null(PromotionRecord.Load(_state.Path));
        Assert.False(File.Exists(PromotionRecord.PathIn(_state.Path)));
    }

    [Fact]
    public void Describe_Record_WhenHowFromWhereAndTimelines()
    {
        // Act
        var text = Sample.Describe();

        // Assert
        Assert.Equal("promoted 2026-03-01 12:30:15Z (pgstandby promote) from timeline 1 of postgres_master:5432, now on timeline 2", text);
    }

    [Fact]
    public void Describe_PreviousTimelineUnknown_QuestionMark()
    {
        // Act
        var text = (Sample with { PreviousTimeline = null, PromotedBy = PromotionRecord.ByHand }).Describe();

        // Assert
        Assert.Contains("(by hand) from timeline ? of postgres_master:5432", text, StringComparison.Ordinal);
        Assert.EndsWith("now on timeline 2", text, StringComparison.Ordinal);
    }
}
