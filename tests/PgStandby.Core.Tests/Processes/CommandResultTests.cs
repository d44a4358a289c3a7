using PgStandby.Core.Processes;

namespace PgStandby.Core.Tests.Processes;

public sealed class CommandResultTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(-1, false)]
    public void Succeeded_ExitCode_OnlyZero(int exitCode, bool expected)
    {
        // Act
        var succeeded = new CommandResult(exitCode, string.Empty, string.Empty).Succeeded;

        // Assert
        Assert.Equal(expected, succeeded);
    }

    [Fact]
    public void Tail_LongStandardError_KeepsLastLines()
    {
        // Arrange
        var result = new CommandResult(1, "out", string.Join('\n', Enumerable.Range(1, 9).Select(i => "line " + i)) + "\n");

        // Act
        var tail = result.Tail();

        // Assert
        Assert.Equal("line 5 | line 6 | line 7 | line 8 | line 9", tail);
    }

    [Fact]
    public void Display_Spec_ShowsFileAndArguments()
    {
        // Act
        var display = new CommandSpec("pgbackrest", ["--stanza=psql", "info"]).Display;

        // Assert
        Assert.Equal("pgbackrest --stanza=psql info", display);
    }
}
