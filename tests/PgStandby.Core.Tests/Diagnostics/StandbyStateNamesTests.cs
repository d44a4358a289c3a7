using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Diagnostics;

public sealed class StandbyStateNamesTests
{
    public static TheoryData<StandbyState, string> Names => new()
    {
        { StandbyState.Starting, "starting" },
        { StandbyState.WaitingForKeyAuthorization, "waiting_for_key_authorization" },
        { StandbyState.WaitingForPrimary, "waiting_for_primary" },
        { StandbyState.WaitingForBackup, "waiting_for_backup" },
        { StandbyState.Restoring, "restoring" },
        { StandbyState.Resyncing, "resyncing" },
        { StandbyState.StartingPostgres, "starting_postgres" },
        { StandbyState.CatchingUpFromArchive, "catching_up_from_archive" },
        { StandbyState.Streaming, "streaming" },
        { StandbyState.Lagging, "lagging" },
        { StandbyState.Stalled, "stalled" },
        { StandbyState.DiskFull, "disk_full" },
        { StandbyState.Primary, "primary" },
        { StandbyState.Refused, "refused" },
        { StandbyState.Failing, "failing" },
        { StandbyState.Stopping, "stopping" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Name_State_IsSnakeCase(StandbyState state, string expected)
    {
        // Act
        var name = state.Name();

        // Assert
        Assert.Equal(expected, name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parse_Name_ReturnsState(StandbyState expected, string name)
    {
        // Act
        var state = StandbyStateNames.Parse(name);

        // Assert
        Assert.Equal(expected, state);
    }

    [Fact]
    public void Names_EveryState_HasOneDocumentedName()
    {
        // Act
        var states = Enum.GetValues<StandbyState>();

        // Assert
        Assert.Equal(16, states.Length);
        Assert.Equal(states.Length, Names.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Streaming")]
    [InlineData("waiting-for-primary")]
    [InlineData("healthy")]
    public void Parse_UnknownName_ReturnsNull(string? name)
    {
        // Act
        var state = StandbyStateNames.Parse(name);

        // Assert
        Assert.Null(state);
    }
}
