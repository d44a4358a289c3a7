using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Restore;

public sealed class ResyncAttemptTests
{
    [Fact]
    public void Load_WrittenJson_ReadsItBack()
    {
        // Arrange
        using var state = new TempDirectory();
        var attempt = new ResyncAttempt("20260301-120000F", 3, "the primary's timeline forked", TestWorld.Start, Finished: true);
        File.WriteAllText(Path.Combine(state.Path, ResyncAttempt.FileName), attempt.ToJson());

        // Act
        var loaded = ResyncAttempt.Load(state.Path);

        // Assert
        Assert.Equal(attempt, loaded);
    }

    [Fact]
    public void Load_NoFileOrNotJson_Null()
    {
        // Arrange
        using var state = new TempDirectory();

        // Act
        var none = ResyncAttempt.Load(state.Path);
        File.WriteAllText(Path.Combine(state.Path, ResyncAttempt.FileName), "{not json");
        var garbled = ResyncAttempt.Load(state.Path);

        // Assert
        Assert.Null(none);
        Assert.Null(garbled);
    }

    [Theory]
    [InlineData("20260301-120000F", 3, true, true)]
    [InlineData("20260301-120000F", 4, true, false)]
    [InlineData("20260302-120000F", 3, true, false)]
    [InlineData("20260301-120000F", 3, false, false)]
    public void Repeats_SameBackupSamePrimaryTimelineFinished_OnlyThen(string backup, int primaryTimeline, bool finished, bool expected)
    {
        // Arrange
        var attempt = new ResyncAttempt("20260301-120000F", 3, "fork", TestWorld.Start, finished);

        // Act and Assert
        Assert.Equal(expected, attempt.Repeats(backup, primaryTimeline));
    }
}
