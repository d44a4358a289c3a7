using PgStandby.Core.Replication;

namespace PgStandby.Core.Tests.Replication;

public sealed class LagSecondsTests
{
    [Fact]
    public void BehindAKnownPosition_IsTheAgeOfTheLastReplayedCommit()
    {
        Assert.Equal(42.5, NpgsqlStandbyQueries.LagSeconds(lagBytes: 8192, secondsBehind: 42.5));
    }

    [Fact]
    public void EverythingReplayed_IsZero_HoweverOldTheLastCommit()
    {
        // An idle primary: nothing committed for an hour, the standby has replayed all of it.
        Assert.Equal(0, NpgsqlStandbyQueries.LagSeconds(lagBytes: 0, secondsBehind: 3600));
    }

    [Fact]
    public void PrimaryPositionUnknown_IsUnknown_NotTheCommitsAge()
    {
        // Replication login refused or partition: the lag in bytes is unknown, so is the lag in seconds.
        Assert.Null(NpgsqlStandbyQueries.LagSeconds(lagBytes: null, secondsBehind: 3600));
    }
}
