using PgStandby.Core.Concurrency;

namespace PgStandby.Core.Tests.Concurrency;

public sealed class LatchTests
{
    [Fact]
    public async Task Set_Twice_TheFirstValueWins()
    {
        // Arrange
        var latch = new Latch<string>();

        // Act
        latch.Set("the primary's timeline forked");
        latch.Set("a WAL gap");

        // Assert
        Assert.Equal("the primary's timeline forked", await latch.Task);
    }

    [Fact]
    public async Task Reset_AfterSet_TheNextValueIsAwaited()
    {
        // Arrange
        var latch = new Latch<string>();
        latch.Set("first");

        // Act
        latch.Reset();

        // Assert
        Assert.False(latch.Task.IsCompleted);
        latch.Set("second");
        Assert.Equal("second", await latch.Task);
    }

    [Fact]
    public async Task Reset_NothingSet_KeepsTheSameTaskForWhoeverAlreadyWaits()
    {
        // Arrange
        var latch = new Latch<int>();
        var waiting = latch.Task;

        // Act
        latch.Reset();
        latch.Set(7);

        // Assert
        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(7, await waiting);
    }
}
