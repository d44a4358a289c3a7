using PgStandby.Core.Restore;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Tests.Restore;

public sealed class ResyncSignalTests
{
    [Fact]
    public async Task Request_TwoRequests_TheFirstReasonAndBranchWin()
    {
        // Arrange
        var signal = new ResyncSignal();
        var branch = new PrimaryBranch(3, [new TimelineSwitch(1, 0x5000000)]);

        // Act
        signal.Request("the primary's timeline forked", branch);
        signal.Request("an expired WAL gap");

        // Assert
        Assert.Equal("the primary's timeline forked", await signal.Requested);
        Assert.Same(branch, signal.Branch);
    }

    [Fact]
    public void Reset_AfterARequest_ForgetsTheBranch()
    {
        // Arrange
        var signal = new ResyncSignal();
        signal.Request("fork", new PrimaryBranch(2, []));

        // Act
        signal.Reset();

        // Assert
        Assert.False(signal.Requested.IsCompleted);
        Assert.Null(signal.Branch);
    }
}
